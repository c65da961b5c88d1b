import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Benchmark driver for the prime service (run by bench/prime-offload.sh, JDK only):
 * N closed-loop clients send random numbers of D digits on the prime port for a fixed time,
 * while one more client measures echo round trips (one "^a" -> "b" every 10 ms) on the echo
 * port. Prints one JSON object. Loopback only; it stops by itself.
 */
public class PrimeOffloadBench {

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int primePort = Integer.parseInt(args[0]);
        int echoPort = Integer.parseInt(args[1]);
        int clients = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int digits = Integer.parseInt(args[4]);
        if (!InetSocketAddressIsLoopback(host)) {
            throw new IllegalArgumentException("loopback only");
        }
        long low = (long) Math.pow(10, digits - 1);
        long high = low * 10;

        AtomicBoolean running = new AtomicBoolean(true);
        LongAdder replies = new LongAdder();
        LongAdder busy = new LongAdder();
        LongAdder wrong = new LongAdder();
        LongAdder errors = new LongAdder();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try (Socket s = connect(host, primePort)) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    OutputStream out = s.getOutputStream();
                    while (running.get()) {
                        long n = ThreadLocalRandom.current().nextLong(low, high);
                        out.write((n + "\n").getBytes(StandardCharsets.US_ASCII));
                        String reply = in.readLine();
                        if (reply == null) {
                            errors.increment();
                            return;
                        }
                        if (reply.equals("error: busy")) {
                            busy.increment();
                        } else if (!reply.equals(BigInteger.valueOf(n).isProbablePrime(40) ? "prime" : "composite")) {
                            wrong.increment();
                        }
                        replies.increment();
                    }
                } catch (IOException e) {
                    errors.increment();
                }
            }));
        }

        long[] rtts = new long[seconds * 100 + 100];
        int[] count = {0};
        Thread prober = Thread.ofPlatform().start(() -> {
            try (Socket s = connect(host, echoPort)) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                if (in.read() != '*') {
                    throw new IOException("no greeting");
                }
                out.write('^');
                while (running.get() && count[0] < rtts.length) {
                    long start = System.nanoTime();
                    out.write('a');
                    out.flush();
                    if (in.read() != 'b') {
                        throw new IOException("wrong echo reply");
                    }
                    rtts[count[0]++] = System.nanoTime() - start;
                    Thread.sleep(10);
                }
            } catch (IOException | InterruptedException e) {
                errors.increment();
            }
        });

        long startedAt = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        running.set(false);
        double elapsed = (System.nanoTime() - startedAt) / 1e9;
        prober.join();
        for (Thread t : threads) {
            t.join(60_000);
        }
        long[] sorted = Arrays.copyOf(rtts, count[0]);
        Arrays.sort(sorted);
        System.out.printf(
                "{\"clients\": %d, \"seconds\": %.1f, \"digits\": %d, \"replies\": %d, \"requests_per_second\": %.1f,"
                        + " \"busy\": %d, \"wrong\": %d, \"errors\": %d, \"echo_samples\": %d,"
                        + " \"echo_rtt_ms\": {\"p50\": %.3f, \"p99\": %.3f, \"max\": %.3f}}%n",
                clients, elapsed, digits, replies.sum(), replies.sum() / elapsed, busy.sum(), wrong.sum(), errors.sum(),
                sorted.length, pct(sorted, 0.50), pct(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
    }

    private static boolean InetSocketAddressIsLoopback(String host) {
        return new InetSocketAddress(host, 0).getAddress().isLoopbackAddress();
    }

    private static Socket connect(String host, int port) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setSoTimeout(120_000);
        s.connect(new InetSocketAddress(host, port), 10_000);
        return s;
    }

    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
