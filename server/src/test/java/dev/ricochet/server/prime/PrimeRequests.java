package dev.ricochet.server.prime;

/** Expected requests, named as the tests read them. */
final class PrimeRequests {

    private PrimeRequests() {
    }

    /** A valid request for {@code n}. */
    static PrimeRequest number(long n) {
        return new PrimeRequest(n, null);
    }

    /** A request rejected with {@code reply}. */
    static PrimeRequest rejected(PrimeReply reply) {
        return PrimeRequest.rejected(reply);
    }
}
