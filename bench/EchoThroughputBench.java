import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Echo throughput driver (run by bench/metrics-overhead.sh, JDK only): N closed-loop clients
 * on 127.0.0.1 each send one frame of S payload bytes ("^" + payload + "$"), read its S
 * replies and check them, for D seconds. Prints one JSON object. Stops by itself.
 */
public class EchoThroughputBench {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int clients = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        int size = Integer.parseInt(args[3]);
        byte[] frame = new byte[size + 2];
        frame[0] = '^';
        for (int i = 1; i <= size; i++) {
            frame[i] = (byte) ('a' + i % 26);
        }
        frame[size + 1] = '$';

        AtomicBoolean running = new AtomicBoolean(true);
        LongAdder frames = new LongAdder();
        LongAdder mismatches = new LongAdder();
        LongAdder errors = new LongAdder();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try (Socket s = new Socket()) {
                    s.setTcpNoDelay(true);
                    s.setSoTimeout(30_000);
                    s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    if (in.read() != '*') {
                        throw new IOException("no greeting");
                    }
                    byte[] reply = new byte[size];
                    while (running.get()) {
                        out.write(frame);
                        int got = in.readNBytes(reply, 0, size);
                        if (got < size) {
                            throw new IOException("closed early");
                        }
                        if (reply[0] != frame[1] + 1 || reply[size - 1] != frame[size] + 1) {
                            mismatches.increment();
                        }
                        frames.increment();
                    }
                } catch (IOException e) {
                    errors.increment();
                }
            }));
        }
        long started = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        running.set(false);
        double elapsed = (System.nanoTime() - started) / 1e9;
        for (Thread t : threads) {
            t.join(60_000);
        }
        System.out.printf("{\"clients\": %d, \"payload_bytes\": %d, \"seconds\": %.1f, \"frames\": %d,"
                        + " \"frames_per_second\": %.0f, \"reply_megabytes_per_second\": %.1f, \"mismatches\": %d,"
                        + " \"errors\": %d}%n",
                clients, size, elapsed, frames.sum(), frames.sum() / elapsed, frames.sum() * (double) size / elapsed / 1e6,
                mismatches.sum(), errors.sum());
    }
}
