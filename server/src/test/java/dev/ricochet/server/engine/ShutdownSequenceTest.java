package dev.ricochet.server.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ricochet.server.engine.ShutdownSequence.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ShutdownSequenceTest {

    @Test
    void drainsThenReleasesTheThreadsWhenEveryConnectionFinishesInTime() {
        RecordedSteps steps = new RecordedSteps(1);
        steps.closedOnWait = true;

        steps.run(Duration.ofHours(1));

        assertThat(steps.taken).containsExactly("closeListeners", "beginDrain", "awaitClose", "releaseThreads");
        assertThat(steps.phase()).isEqualTo(Phase.STOPPED);
    }

    @Test
    void closesTheRestWhenTheGraceIsOver() {
        RecordedSteps steps = new RecordedSteps(2);

        steps.run(Duration.ZERO);

        assertThat(steps.taken).containsExactly(
                "closeListeners", "beginDrain", "closeConnections", "awaitRemainingClosed", "releaseThreads");
        assertThat(steps.phase()).isEqualTo(Phase.STOPPED);
    }

    @Test
    void runsOnceHoweverOftenItIsAsked() {
        RecordedSteps steps = new RecordedSteps(0);

        steps.run(Duration.ZERO);
        steps.run(Duration.ZERO);

        assertThat(steps.taken).containsExactly("closeListeners", "beginDrain", "releaseThreads");
    }

    @Test
    void aCutShortDrainStopsWaitingForTheGrace() {
        RecordedSteps steps = new RecordedSteps(1);
        steps.cutShortOnWait = true;

        steps.run(Duration.ofHours(1));

        assertThat(steps.taken).containsExactly("closeListeners", "beginDrain", "awaitClose",
                "closeConnections", "closeConnections", "awaitRemainingClosed", "releaseThreads");
    }

    @Test
    void afterACutShortDrainTheEngineStillWaitsForItsClosedConnectionsToEnd() {
        RecordedSteps steps = new RecordedSteps(1);
        steps.cutShortOnWait = true;
        steps.remainingCloseOnWait = true;

        steps.run(Duration.ofHours(1));

        assertThat(steps.taken).containsExactly("closeListeners", "beginDrain", "awaitClose",
                "closeConnections", "closeConnections", "awaitRemainingClosed", "awaitClose", "releaseThreads");
        assertThat(steps.remainingAllClosed).isTrue();
    }

    @Test
    void cuttingShortBeforeAnyShutdownClosesEveryConnectionAndKeepsServing() {
        RecordedSteps steps = new RecordedSteps(3);

        steps.cutShort();

        assertThat(steps.taken).containsExactly("closeConnections");
        assertThat(steps.phase()).isEqualTo(Phase.RUNNING);
    }

    @Test
    void isDrainingFromTheMomentTheListenersAreClosed() {
        RecordedSteps steps = new RecordedSteps(0);
        assertThat(steps.isDraining()).isFalse();

        steps.run(Duration.ZERO);

        assertThat(steps.phasesSeen).containsExactly(Phase.CLOSING_LISTENERS, Phase.DRAINING);
        assertThat(steps.drainingSeen).containsExactly(false, true);
        assertThat(steps.isDraining()).isTrue();
    }

    @Test
    void aSecondSignalCountsTheConnectionsItClosesEvenWhenTheDrainIsJustBeginning() throws Exception {
        CutShortAsTheDrainBegins steps = new CutShortAsTheDrainBegins();
        Thread drain = new Thread(() -> steps.run(Duration.ofHours(1)));
        drain.start();
        drain.join(Duration.ofSeconds(30).toMillis());

        assertThat(drain.isAlive()).isFalse();
        assertThat(steps.countedBySecondSignal).isEqualTo(1);
        assertThat(steps.phase()).isEqualTo(Phase.STOPPED);
    }

    /**
     * One connection; a second signal arrives as the drain begins, and its count of the
     * connections waits until the drain has moved on (waits for them, or closes them), which is
     * what a busy machine may do to it.
     */
    private static final class CutShortAsTheDrainBegins extends ShutdownSequence {

        private final CountDownLatch counting = new CountDownLatch(1);
        private final CountDownLatch drainMovedOn = new CountDownLatch(1);
        private volatile Thread secondSignal;
        private volatile int open = 1;
        volatile int countedBySecondSignal = -1;

        CutShortAsTheDrainBegins() {
            super(LoggerFactory.getLogger(ShutdownSequenceTest.class));
        }

        @Override
        protected void closeListeners() {
        }

        @Override
        protected void beginDrain() {
            secondSignal = new Thread(this::cutShort);
            secondSignal.start();
            awaitQuietly(counting);
        }

        @Override
        protected int openConnections() {
            if (Thread.currentThread() == secondSignal && counting.getCount() > 0) {
                counting.countDown();
                awaitQuietly(drainMovedOn);
                countedBySecondSignal = open;
            }
            return open;
        }

        @Override
        protected int unfinishedConnections() {
            return open;
        }

        @Override
        protected void awaitClose(long nanos) {
            drainMovedOn.countDown();
            Thread.onSpinWait();
        }

        @Override
        protected void closeConnections() {
            open = 0;
            drainMovedOn.countDown();
        }

        @Override
        protected void awaitRemainingClosed() {
        }

        @Override
        protected void releaseThreads() {
        }

        private static void awaitQuietly(CountDownLatch latch) {
            try {
                latch.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** An engine of {@code open} connections that records each step the sequence takes. */
    private static final class RecordedSteps extends ShutdownSequence {

        final List<String> taken = new ArrayList<>();
        final List<Phase> phasesSeen = new ArrayList<>();
        final List<Boolean> drainingSeen = new ArrayList<>();
        int open;
        boolean closedOnWait;
        boolean cutShortOnWait;
        /** The engine's wait for the connections it closed at the end, as the blocking engine makes it. */
        boolean remainingCloseOnWait;
        boolean remainingAllClosed;

        RecordedSteps(int open) {
            super(LoggerFactory.getLogger(ShutdownSequenceTest.class));
            this.open = open;
        }

        private void seen() {
            phasesSeen.add(phase());
            drainingSeen.add(isDraining());
        }

        @Override
        protected void closeListeners() {
            taken.add("closeListeners");
            seen();
        }

        @Override
        protected void beginDrain() {
            taken.add("beginDrain");
            seen();
        }

        @Override
        protected int openConnections() {
            return open;
        }

        @Override
        protected int unfinishedConnections() {
            return open;
        }

        @Override
        protected void awaitClose(long nanos) {
            taken.add("awaitClose");
            if (closedOnWait) {
                open = 0;
            }
            if (cutShortOnWait) {
                cutShort(); // a second signal while the drain waits
            }
        }

        @Override
        protected void closeConnections() {
            taken.add("closeConnections");
        }

        @Override
        protected void awaitRemainingClosed() {
            taken.add("awaitRemainingClosed");
            if (remainingCloseOnWait) {
                cutShortOnWait = false;
                closedOnWait = true;
                remainingAllClosed = awaitAllClosed(Duration.ofSeconds(5));
            }
        }

        @Override
        protected void releaseThreads() {
            taken.add("releaseThreads");
        }
    }
}
