package dev.ricochet.server.master;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Copies a worker's standard output to the master's, whole lines at a time. Workers writing to
 * one shared pipe could interleave: a write of more than PIPE_BUF (4 KiB: a JSON line with a
 * stack trace) is not atomic, and another process's line could land in the middle of it,
 * breaking the one-object-per-line promise of {@code --log-format json}. Here only the master
 * writes, each line in one call to a stream that serializes its callers.
 */
final class LineForwarder {

    /** A line longer than this (no log line is) is passed on in pieces rather than held. */
    private static final int MAX_HELD_BYTES = 1024 * 1024;

    private LineForwarder() {
    }

    /**
     * Starts copying {@code from} to {@code to} on a thread of its own, until {@code from} ends:
     * a platform thread, as it spends its life blocked in a pipe's read, which would hold a
     * virtual thread's carrier.
     */
    static void start(String name, InputStream from, OutputStream to) {
        Thread.ofPlatform().name(name).daemon().start(() -> copy(from, to));
    }

    static void copy(InputStream from, OutputStream to) {
        byte[] held = new byte[8192];
        int length = 0;
        try (from) {
            for (int n; (n = from.read(held, length, held.length - length)) != -1; ) {
                length += n;
                int end = lastNewline(held, length);
                if (end >= 0) {
                    write(to, held, end + 1);
                    System.arraycopy(held, end + 1, held, 0, length - end - 1);
                    length -= end + 1;
                } else if (length == held.length) {
                    if (held.length >= MAX_HELD_BYTES) {
                        write(to, held, length);
                        length = 0;
                    } else {
                        held = Arrays.copyOf(held, held.length * 2);
                    }
                }
            }
        } catch (IOException e) {
            // The worker is gone: its output ends here.
        }
        if (length > 0) {
            write(to, held, length); // a last line without its newline
        }
    }

    private static int lastNewline(byte[] bytes, int length) {
        for (int i = length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static void write(OutputStream to, byte[] bytes, int length) {
        try {
            to.write(bytes, 0, length);
            to.flush();
        } catch (IOException e) {
            // The master's own output is gone: nothing to do but go on reading, so the worker never blocks.
        }
    }
}
