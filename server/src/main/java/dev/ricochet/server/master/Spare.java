package dev.ricochet.server.master;

/**
 * A spare worker process ({@code --spare-processes}): started with everything but its
 * listeners, on an admin port of its own, waiting to take a dead worker's place. Taking it
 * costs binding the ports; starting a JVM instead costs a second or more. Its fields are the
 * supervisor thread's alone.
 */
final class Spare {

    final Process process;
    final PortReservation admin;
    /** Whether its admin port answers: everything before the listeners is done. */
    boolean warm;
    private final long startedNanos = System.nanoTime();

    Spare(Process process, PortReservation admin) {
        this.process = process;
        this.admin = admin;
    }

    /** How long it has run. */
    java.time.Duration uptime() {
        return java.time.Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    String describe() {
        return "Spare (pid " + process.pid() + ")";
    }
}
