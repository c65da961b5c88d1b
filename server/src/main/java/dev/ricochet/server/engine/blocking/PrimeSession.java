package dev.ricochet.server.engine.blocking;

import dev.ricochet.server.connection.RateLimitedWarning;
import dev.ricochet.server.metrics.CloseReason;
import dev.ricochet.server.prime.PrimeLineFramer;
import dev.ricochet.server.prime.PrimeReply;
import dev.ricochet.server.prime.PrimeRequest;
import dev.ricochet.server.prime.PrimeService;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prime protocol on a blocking socket: every request is computed on the connection's own
 * thread, in order (that is the model: no worker pool, so no queue and no {@code busy}).
 * The replies of one read leave together, and before any computation that takes time, so
 * that a client never waits for an answer already known.
 */
final class PrimeSession implements Session {

    private static final Logger log = LoggerFactory.getLogger(PrimeSession.class);
    private static final RateLimitedWarning failures = new RateLimitedWarning(log, 10_000_000_000L);
    private static final int BUFFER_BYTES = 4 * 1024;
    private static final int REPLY_BUFFER_BYTES = 8 * 1024;
    private static final int CHUNK_BYTES = 256;

    private final PrimeService service;
    private final int lingerMillis;
    private final PrimeLineFramer framer;
    private final List<PrimeRequest> requests = new ArrayList<>();
    private final byte[] replies = new byte[REPLY_BUFFER_BYTES];
    private int replyLength;
    private int readTimeoutMillis;
    private boolean lineTooLong;
    private BlockingConnection connection;

    /** @param linger how long a bare number waits for more bytes; zero: whole lines only */
    PrimeSession(PrimeService service, Duration linger) {
        this.service = service;
        // Sockets time out in whole milliseconds; a shorter linger still lingers.
        this.lingerMillis = linger.isZero() ? 0 : (int) Math.max(1, Math.min(Integer.MAX_VALUE, linger.toMillis()));
        this.framer = new PrimeLineFramer(lingerMillis > 0);
    }

    @Override
    public void serve(BlockingConnection connection) throws IOException {
        this.connection = connection;
        byte[] buffer = new byte[BUFFER_BYTES];
        while (true) {
            // Every request read so far is answered: a drain may finish the connection here.
            if (!connection.mayRead(true)) {
                connection.finish(CloseReason.DRAINED);
                return;
            }
            int n = readOrLinger(buffer);
            if (!connection.stillServing()) {
                connection.finish(CloseReason.DRAINED);
                return;
            }
            if (n == 0) {
                answer(framer.completeBareNumber()); // the linger passed in silence
            } else if (n < 0) {
                PrimeRequest last = framer.endOfStream();
                if (last != null) {
                    answer(last);
                }
                flush();
                return;
            } else {
                // A chunk at a time: a thread blocked writing the answers to a client that does
                // not read holds one chunk's requests, not a whole read's (2,048 of "7\n").
                for (int from = 0; from < n; from += CHUNK_BYTES) {
                    framer.feed(buffer, from, Math.min(CHUNK_BYTES, n - from), requests);
                    for (int i = 0, size = requests.size(); i < size; i++) {
                        answer(requests.get(i));
                    }
                    requests.clear();
                }
            }
            flush();
            if (lineTooLong) {
                // Its error was the last reply: what the client sends after it is discarded unread.
                connection.finish(CloseReason.ERROR);
                return;
            }
        }
    }

    /** Bytes read, -1 at end of stream, 0 when a bare number's linger passed with nothing read. */
    private int readOrLinger(byte[] buffer) throws IOException {
        int timeout = lingerMillis > 0 && framer.holdsBareNumber() ? lingerMillis : 0;
        if (timeout != readTimeoutMillis) {
            connection.readTimeoutMillis(timeout);
            readTimeoutMillis = timeout;
        }
        try {
            return connection.read(buffer);
        } catch (SocketTimeoutException e) {
            return 0;
        }
    }

    private void answer(PrimeRequest request) throws IOException {
        if (request == null) {
            return;
        }
        PrimeReply reply = request.rejection();
        if (reply == null) {
            reply = service.answerWithoutWork(request.number());
        }
        if (reply == null) {
            flush(); // what is known leaves before the thread goes computing
            reply = compute(request.number());
        }
        service.countReply(reply);
        if (replyLength + reply.length() > replies.length) {
            flush();
        }
        replyLength = reply.writeTo(replies, replyLength);
        lineTooLong |= reply.closesConnection();
    }

    private PrimeReply compute(long n) {
        try {
            return service.computeNow(n);
        } catch (CancellationException e) {
            throw e; // interrupted: the connection is being closed
        } catch (RuntimeException e) {
            log.debug("Computing {} failed", n, e);
            failures.warn("A prime computation failed: {} ({} failure(s) since the last warning)", e.toString());
            return PrimeReply.INTERNAL_ERROR;
        }
    }

    private void flush() throws IOException {
        if (replyLength > 0) {
            int length = replyLength;
            replyLength = 0;
            connection.write(replies, 0, length);
        }
    }
}
