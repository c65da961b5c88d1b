package dev.ricochet.server.transport;

/** The transport the user asked for cannot be loaded on this machine. */
public final class TransportUnavailableException extends Exception {

    TransportUnavailableException(TransportKind kind, Throwable cause) {
        super("--transport " + kind.cliName() + " is not available on this machine: " + describe(cause), cause);
    }

    private static String describe(Throwable cause) {
        return cause == null ? "unknown reason" : cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }
}
