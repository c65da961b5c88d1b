package dev.ricochet.server.tls;

import dev.ricochet.server.config.TlsSettings;
import dev.ricochet.server.metrics.TlsMetrics;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the TLS files again at an interval and, when their bytes changed, swaps the served
 * certificate; on a thread of its own, never an event loop's (parsing, and building an OpenSSL
 * context, take milliseconds).
 *
 * <p>Polling the files' contents rather than a {@code WatchService}: Kubernetes updates a Secret
 * volume by renaming a new {@code ..data} symlink over the old one, an event on the directory
 * and not on the files the options name (which are symlinks through {@code ..data}); inotify does
 * not follow symlinks, misses changes on network and overlay file systems, and the JDK polls
 * anyway where it has no native watcher. Reading two small files every few seconds costs nothing
 * and sees every way a file can change; the price is up to one interval of delay, against
 * certificates renewed weeks before they expire.
 *
 * <p>Files that fail (unreadable, not PEM, a key not the certificate's, say the certificate
 * written and the key not yet) keep the old certificate: warned and counted once per change of
 * the files, not at every poll, and tried again at the next change.
 */
final class CertificateReloader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CertificateReloader.class);

    /** Builds what the files serve, or says why they cannot. */
    @FunctionalInterface
    interface Server {
        ServedCertificate serve(TlsFiles files) throws TlsSetupException;
    }

    private final TlsSettings settings;
    private final AtomicReference<ServedCertificate> served;
    private final Server server;
    private final TlsMetrics metrics;
    private ScheduledExecutorService thread;
    /** The rejected files' bytes, or the reason they could not be read: warned once. */
    private TlsFiles lastRejected;
    private String lastUnreadable;

    CertificateReloader(TlsSettings settings, AtomicReference<ServedCertificate> served, Server server,
            TlsMetrics metrics) {
        this.settings = settings;
        this.served = served;
        this.server = server;
        this.metrics = metrics;
    }

    void start(Duration interval) {
        if (interval.isZero()) {
            return;
        }
        thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "ricochet-tls-reload");
            t.setDaemon(true);
            return t;
        });
        long millis = interval.toMillis();
        thread.scheduleWithFixedDelay(this::checkSafely, millis, millis, TimeUnit.MILLISECONDS);
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: log, and keep polling.
            log.warn("TLS certificate reload failed unexpectedly; keeping the certificate served", e);
        }
    }

    /** One poll: swaps the certificate if the files changed and are good. */
    synchronized void check() {
        TlsFiles files;
        try {
            files = TlsFiles.read(settings);
        } catch (TlsSetupException e) {
            if (!e.getMessage().equals(lastUnreadable)) {
                lastUnreadable = e.getMessage();
                reject(e.getMessage());
            }
            return;
        }
        lastUnreadable = null;
        ServedCertificate current = served.get();
        if (files.sameAs(current.files()) || files.sameAs(lastRejected)) {
            return;
        }
        try {
            ServedCertificate next = server.serve(files);
            served.set(next);
            lastRejected = null;
            metrics.reloaded();
            log.info("TLS certificate reloaded: {} (serial {}), valid until {}; open connections keep theirs",
                    next.material().subject(), next.material().chain().get(0).getSerialNumber(),
                    next.material().notAfter());
        } catch (TlsSetupException e) {
            lastRejected = files;
            reject(e.getMessage());
        }
    }

    private void reject(String reason) {
        metrics.reloadFailed();
        log.warn("TLS certificate not reloaded, still serving {} (valid until {}): {}",
                served.get().material().subject(), served.get().material().notAfter(), reason);
    }

    @Override
    public synchronized void close() {
        if (thread != null) {
            thread.shutdownNow();
        }
    }
}
