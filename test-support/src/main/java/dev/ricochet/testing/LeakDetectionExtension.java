package dev.ricochet.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty's leak detector reports a buffer that was never released.
 * Registered for every test of every module that depends on this one (JUnit extension
 * auto-detection, through this jar's service file); surefire runs the
 * suite at PARANOID level, so every buffer is tracked.
 *
 * <p>The detector only notices a leak when the garbage collector has cleared the buffer and
 * a later allocation polls its queue, so after each class we collect and allocate a little.
 */
public final class LeakDetectionExtension implements AfterAllCallback {

    private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();

    static {
        // Must run before the first buffer class is initialised: each detector is created once.
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(50); // lets the reference handler enqueue what the GC cleared
            churn();
        }
        List<String> found = new ArrayList<>();
        for (String leak; (leak = LEAKS.poll()) != null; ) {
            found.add(leak);
        }
        if (!found.isEmpty()) {
            throw new AssertionError(found.size() + " Netty buffer leak(s) reported while running "
                    + context.getDisplayName() + ":\n" + String.join("\n\n", found));
        }
    }

    private static void churn() {
        for (int i = 0; i < 64; i++) {
            ByteBuf direct = ByteBufAllocator.DEFAULT.directBuffer(16);
            ByteBuf heap = ByteBufAllocator.DEFAULT.heapBuffer(16);
            ByteBuf unpooled = Unpooled.directBuffer(16);
            direct.release();
            heap.release();
            unpooled.release();
        }
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
            ResourceLeakDetector<T> detector = new ResourceLeakDetector<>(resource, samplingInterval);
            detector.setLeakListener((type, records) -> LEAKS.add("LEAK of " + type + ":" + records));
            return detector;
        }
    }
}
