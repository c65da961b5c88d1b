package dev.ricochet.server.tls;

/**
 * TLS cannot be set up as asked: a file that cannot be read or is not what it should be, a key
 * that is not its certificate's, or a provider that does not load. The message is the reason,
 * in one line, naming the option: at startup it is bad usage (exit 2), at reload a warning.
 */
public final class TlsSetupException extends Exception {

    TlsSetupException(String message) {
        super(message);
    }

    TlsSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
