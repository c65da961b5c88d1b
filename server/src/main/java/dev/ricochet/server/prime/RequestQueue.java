package dev.ricochet.server.prime;

/**
 * A first-in first-out queue of requests that wait for a worker: each the number to test, the
 * sequence number of its reply ({@link ReplyOrder}) and when it was queued, in three parallel
 * arrays rather than an object per request (20 bytes each). Allocated on the first request,
 * grows by doubling, dropped again once empty and large. Not thread-safe: its owner guards it.
 */
final class RequestQueue {

    private static final int FIRST_CAPACITY = 4;
    private static final int KEPT_CAPACITY = 16;

    private static final long[] NO_LONGS = new long[0];
    private static final int[] NO_INTS = new int[0];

    private long[] numbers = NO_LONGS;
    private int[] seqs = NO_INTS;
    private long[] queuedAt = NO_LONGS;
    private int head;
    private int size;

    void add(long number, int seq, long nanoTime) {
        if (size == numbers.length) {
            grow();
        }
        int slot = (head + size++) & (numbers.length - 1);
        numbers[slot] = number;
        seqs[slot] = seq;
        queuedAt[slot] = nanoTime;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** The head's number; the queue must not be empty. */
    long headNumber() {
        return numbers[head];
    }

    int headSeq() {
        return seqs[head];
    }

    long headQueuedAt() {
        return queuedAt[head];
    }

    /** Drops the head, after its fields were read. */
    void removeHead() {
        head = (head + 1) & (numbers.length - 1);
        if (--size == 0 && numbers.length > KEPT_CAPACITY) {
            clear();
        }
    }

    void clear() {
        numbers = NO_LONGS;
        seqs = NO_INTS;
        queuedAt = NO_LONGS;
        head = 0;
        size = 0;
    }

    private void grow() {
        int capacity = Math.max(FIRST_CAPACITY, numbers.length * 2);
        long[] n = new long[capacity];
        int[] s = new int[capacity];
        long[] t = new long[capacity];
        for (int i = 0; i < size; i++) {
            int from = (head + i) & (numbers.length - 1);
            n[i] = numbers[from];
            s[i] = seqs[from];
            t[i] = queuedAt[from];
        }
        numbers = n;
        seqs = s;
        queuedAt = t;
        head = 0;
    }
}
