package dev.ricochet.server.transport;

/** The transport the user asked for cannot be loaded on this machine. */
public final class TransportUnavailableException extends Exception {

    TransportUnavailableException(TransportKind kind, Throwable cause) {
        super(message(kind, describe(cause)), cause);
    }

    /** @param reason why, and what would make it load, in a few words */
    TransportUnavailableException(TransportKind kind, String reason) {
        super(message(kind, reason));
    }

    private static String message(TransportKind kind, String reason) {
        return "--transport " + kind.cliName() + " is not available on this machine: " + reason;
    }

    private static String describe(Throwable cause) {
        return cause == null ? "unknown reason" : cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }
}
