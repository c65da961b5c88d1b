package dev.ricochet.server.testing;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/** Stands in for the server behind the launcher: prints the JVM options and collectors it got. */
public final class PrintJvmOptions {

    private PrintJvmOptions() {
    }

    public static void main(String[] args) {
        System.out.println("options " + ManagementFactory.getRuntimeMXBean().getInputArguments());
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            System.out.println("collector " + gc.getName());
        }
    }
}
