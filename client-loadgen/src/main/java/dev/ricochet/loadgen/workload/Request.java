package dev.ricochet.loadgen.workload;

/**
 * One request: the writes that carry it (several when it is split) and the exact reply the
 * protocol owes for it.
 */
public record Request(byte[][] writes, byte[] expectedReply) {
}
