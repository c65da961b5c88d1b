package dev.ricochet.server.testing;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * Stands in for the server behind the launcher: prints the JVM options and collectors it got,
 * and G1's region size in force (what the JVM made of the options).
 */
public final class PrintJvmOptions {

    private PrintJvmOptions() {
    }

    public static void main(String[] args) {
        System.out.println("options " + ManagementFactory.getRuntimeMXBean().getInputArguments());
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            System.out.println("collector " + gc.getName());
        }
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        System.out.println("G1 region bytes " + hotspot.getVMOption("G1HeapRegionSize").getValue());
    }
}
