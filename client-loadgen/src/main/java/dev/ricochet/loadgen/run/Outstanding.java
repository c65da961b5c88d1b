package dev.ricochet.loadgen.run;

import dev.ricochet.loadgen.workload.Request;

/**
 * One connection's requests awaiting their replies, oldest first: a ring of parallel arrays
 * rather than a queue of objects, so that a request in flight allocates nothing. Grows by
 * doubling; the pipeline bounds it. Confined to the connection's event loop.
 */
final class Outstanding {

    private Request[] requests = new Request[1];
    private long[] sequences = new long[1];
    private long[] intendedNanos = new long[1];
    private long[] sentNanos = new long[1];
    private int head;
    private int size;

    void add(Request request, long sequence, long intended, long sent) {
        if (size == requests.length) {
            grow();
        }
        int at = (head + size) & (requests.length - 1);
        requests[at] = request;
        sequences[at] = sequence;
        intendedNanos[at] = intended;
        sentNanos[at] = sent;
        size++;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The oldest request; only when not empty. */
    Request oldest() {
        return requests[head];
    }

    long oldestIntendedNanos() {
        return intendedNanos[head];
    }

    long oldestSentNanos() {
        return sentNanos[head];
    }

    /** When the {@code i}-th oldest request (0: the oldest) was planned; {@code i} below {@link #size}. */
    long intendedNanos(int i) {
        return intendedNanos[(head + i) & (requests.length - 1)];
    }

    /** When the {@code i}-th oldest request was sent. */
    long sentNanos(int i) {
        return sentNanos[(head + i) & (requests.length - 1)];
    }

    /** The number of the oldest request, in its slot's plan. */
    long oldestSequence() {
        return sequences[head];
    }

    void removeOldest() {
        requests[head] = null;
        head = (head + 1) & (requests.length - 1);
        size--;
    }

    /** Forgets every outstanding request (they were counted elsewhere). */
    void clear() {
        while (size > 0) {
            removeOldest();
        }
    }

    private void grow() {
        int capacity = requests.length * 2; // a power of two, so that indexes wrap with a mask
        Request[] r = new Request[capacity];
        long[] sequence = new long[capacity];
        long[] intended = new long[capacity];
        long[] sent = new long[capacity];
        for (int i = 0; i < size; i++) {
            int from = (head + i) & (requests.length - 1);
            r[i] = requests[from];
            sequence[i] = sequences[from];
            intended[i] = intendedNanos[from];
            sent[i] = sentNanos[from];
        }
        requests = r;
        sequences = sequence;
        intendedNanos = intended;
        sentNanos = sent;
        head = 0;
    }
}
