package dev.ricochet.server.prime;

/**
 * One connection's replies in request order, a byte each: the reply's code once it is known,
 * {@link #PENDING} while a worker computes it. Replies leave from the head as soon as they,
 * and all before them, are known. A byte, not an object per request: a client that pipelines
 * and never reads costs the server {@link PrimeRequestHandler#MAX_OUTSTANDING} bytes here,
 * not kilobytes (docs/operations.md, "Sizing a pod").
 *
 * <p>Each reply has a sequence number, its place in the order, by which a computed answer
 * finds its slot. The ring is allocated on the first request, grows by doubling and is
 * dropped once it is empty and large, so an idle connection holds none. Event-loop confined.
 */
final class ReplyOrder {

    private static final byte PENDING = -1;
    private static final byte[] NONE = new byte[0];
    private static final int FIRST_CAPACITY = 16;
    /** An empty ring larger than this is dropped, so one burst does not stay with the connection. */
    private static final int KEPT_CAPACITY = 64;
    private static final PrimeReply[] REPLIES = PrimeReply.values();

    private byte[] codes = NONE;
    private int head;
    private int size;
    /** The sequence number of the reply at the head. */
    private int headSeq;

    /**
     * Takes the next place in the order.
     *
     * @param reply the reply when it is known already, null while it is computed
     * @return its sequence number, for {@link #set}
     */
    int append(PrimeReply reply) {
        if (size == codes.length) {
            grow();
        }
        codes[(head + size) & (codes.length - 1)] = reply == null ? PENDING : (byte) reply.ordinal();
        return headSeq + size++;
    }

    /** Sets a computed reply in its place; one whose place has gone (the ring was cleared) is dropped. */
    void set(int seq, PrimeReply reply) {
        int offset = seq - headSeq; // wraps consistently with the sequence numbers
        if (offset >= 0 && offset < size) {
            codes[(head + offset) & (codes.length - 1)] = (byte) reply.ordinal();
        }
    }

    /** Removes and returns the head reply when it is known; null when the order is empty or waits for it. */
    PrimeReply pollReady() {
        if (size == 0 || codes[head] == PENDING) {
            return null;
        }
        PrimeReply reply = REPLIES[codes[head]];
        head = (head + 1) & (codes.length - 1);
        headSeq++;
        if (--size == 0 && codes.length > KEPT_CAPACITY) {
            codes = NONE;
            head = 0;
        }
        return reply;
    }

    /** Replies owed: known or still computed. */
    int size() {
        return size;
    }

    /** Forgets every reply owed (the connection has closed). */
    void clear() {
        headSeq += size;
        size = 0;
        head = 0;
        codes = NONE;
    }

    private void grow() {
        byte[] larger = new byte[Math.max(FIRST_CAPACITY, codes.length * 2)];
        for (int i = 0; i < size; i++) {
            larger[i] = codes[(head + i) & (codes.length - 1)];
        }
        codes = larger;
        head = 0;
    }
}
