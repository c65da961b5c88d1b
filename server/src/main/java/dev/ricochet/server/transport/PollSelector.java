package dev.ricochet.server.transport;

import java.lang.reflect.InvocationTargetException;
import java.nio.channels.spi.SelectorProvider;

/**
 * The JDK's poll(2) selector ({@code sun.nio.ch.PollSelectorProvider}, on Linux and macOS),
 * for {@code --transport poll}, without making it the JVM's default. The system property
 * {@code java.nio.channels.spi.SelectorProvider} would make it the default for every selector
 * of the process (the admin server's, and every other transport's in a test JVM), and only
 * if set before anything opened the first one. Instead the provider is made here and given
 * to the event loops and the listeners alone.
 *
 * <p>Its package is not exported: the server jar's manifest exports it ({@code Add-Exports},
 * honoured by {@code java -jar}: the launcher, the container image), the tests' JVM is given
 * {@code --add-exports}. Where neither holds, a JVM started with that system property already
 * has the poll selector as its default, and that is taken as it is.
 */
final class PollSelector {

    static final String PROVIDER = "sun.nio.ch.PollSelectorProvider";

    private PollSelector() {
    }

    /**
     * A new poll selector provider.
     *
     * @throws TransportUnavailableException when this JDK has none, or its package is not
     *                                       exported to this code (the reason says how to)
     */
    static SelectorProvider provider() throws TransportUnavailableException {
        return provider(PROVIDER);
    }

    /** As {@link #provider()}, from the provider class named {@code className}: tests name one that is missing. */
    static SelectorProvider provider(String className) throws TransportUnavailableException {
        SelectorProvider jvmDefault = SelectorProvider.provider();
        if (jvmDefault.getClass().getName().equals(className)) {
            return jvmDefault;
        }
        Class<?> type;
        try {
            type = Class.forName(className, false, ClassLoader.getPlatformClassLoader());
        } catch (ClassNotFoundException e) {
            throw new TransportUnavailableException(TransportKind.POLL, "this JDK (" + System.getProperty("java.vm.name")
                    + " " + Runtime.version() + " on " + System.getProperty("os.name") + ") has no poll(2) selector ("
                    + className + ")");
        }
        if (!SelectorProvider.class.isAssignableFrom(type)) {
            throw new TransportUnavailableException(TransportKind.POLL, className + " is not a SelectorProvider");
        }
        Module base = type.getModule();
        if (!base.isExported(type.getPackageName(), PollSelector.class.getModule())) {
            throw new TransportUnavailableException(TransportKind.POLL, "the JDK's poll selector (" + className
                    + ") is in a package " + base.getName() + " does not export; run the server jar with java -jar"
                    + " (its manifest exports it), or give the JVM --add-exports " + base.getName() + "/"
                    + type.getPackageName() + "=ALL-UNNAMED");
        }
        try {
            return (SelectorProvider) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            Throwable cause = e instanceof InvocationTargetException target ? target.getCause() : e;
            throw new TransportUnavailableException(TransportKind.POLL, cause);
        }
    }
}
