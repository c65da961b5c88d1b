package dev.ricochet.loadgen.run;

import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs a search for the highest rate that meets a latency goal ({@code --find-rate}) on the
 * run's connections, once the connect phase is over: {@link RateSearch} decides each step's
 * rate, this runs it and judges it. Used from the thread that drives the run.
 *
 * <p>Each step is three phases of the run's plan at the step's rate: a warmup (not judged), a
 * window (judged), and a settle, during which the load goes on while the replies to the
 * window's last requests come in. At the settle's end the step is judged on its window's
 * requests as they stand, each counted in the phase of its planned send time: answered, shed,
 * failed, or still unanswered (sent or not), with its latency so far; then the next step's
 * phases are appended to the plan ({@link Schedule}), from a little ahead of now (a silence
 * fills the gap), and every slot gives up the requests of earlier steps it has not sent yet
 * ({@link SendPlan#abandonBefore}), so that an overloaded step's backlog is not the next
 * step's. Everything a loop owns is read or changed by a task on that loop.
 *
 * <p>A step holds when its window's corrected latency meets the goal (the requests unanswered
 * at the judgement counted with their latency so far, which the settle makes longer than the
 * bound), none of its requests was shed, it answered {@code --min-achieved-rate} of those
 * planned, and no error happened and no connection was lost since the previous judgement; an
 * error or a lost connection ends the search.
 */
final class SearchRun {

    /**
     * How far ahead of now a step is appended: plans past the end of the previous one look
     * again within {@link SendPlan#LOOK_AGAIN_NANOS}, and so learn their next request's time
     * before it is due.
     */
    static final long LEAD_NANOS = 4 * SendPlan.LOOK_AGAIN_NANOS;

    private final LoadSpec.Search search;
    private final LoadSpec.Timing timing;
    private final double minAchievedRate;
    private final RunStats stats;
    private final Map<EventLoop, List<ConnectionSlot>> slotsByLoop;
    private final Consumer<FindRate.Step> onStep;
    private final RateSearch decisions;
    private final Schedule schedule;
    private final List<FindRate.Step> steps = new ArrayList<>();
    private RateSearch.Step current;
    /** The current step's start and window, in nanoseconds into the search; its window's phase. */
    private long stepStart;
    private long windowFrom;
    private int windowPhase;
    private long origin;
    /** The wall clock at {@link #origin}, epoch milliseconds. */
    private long originMillis;
    private Map<ErrorKind, Long> errorsBefore;
    private long lostBefore;
    /** Whether a stop request ended the search before it was over (its repeat included). */
    private boolean interrupted;

    /**
     * @param slotsByLoop the run's slots by event loop, filled before the load starts
     * @param onStep      told of each step once it is judged
     */
    SearchRun(LoadSpec spec, RunStats stats, Map<EventLoop, List<ConnectionSlot>> slotsByLoop,
            Consumer<FindRate.Step> onStep) {
        this.search = spec.load().search();
        this.timing = spec.timing();
        this.minAchievedRate = spec.limits().minAchievedRate();
        this.stats = stats;
        this.slotsByLoop = slotsByLoop;
        this.onStep = onStep;
        this.decisions = new RateSearch(search.fromRate(), search.precision(), search.maxSteps());
        this.current = decisions.next();
        this.schedule = new Schedule(new PlannedCount(new RateProfile(segments(current.rate())), true));
        phasesAt(0, 0);
    }

    /** The run's plan, which every slot takes its share of. */
    Schedule schedule() {
        return schedule;
    }

    /** The step's phases, in order: the warmup (unless 0), the window, the settle. */
    private List<RateProfile.Segment> segments(long rate) {
        List<RateProfile.Segment> segments = new ArrayList<>();
        if (timing.warmup().isPositive()) {
            segments.add(RateProfile.Segment.step(rate, timing.warmup()));
        }
        segments.add(RateProfile.Segment.step(rate, timing.duration()));
        segments.add(RateProfile.Segment.step(rate, search.settle()));
        return segments;
    }

    /** The current step starts {@code start} nanoseconds into the search, its first phase being {@code phase}. */
    private void phasesAt(long start, int phase) {
        stepStart = start;
        windowFrom = start + timing.warmup().toNanos();
        windowPhase = phase + (timing.warmup().isPositive() ? 1 : 0);
    }

    /** The load has started: the search counts from {@code originNanos}, its first step starting there. */
    void started(long originNanos) {
        origin = originNanos;
        originMillis = System.currentTimeMillis() - (System.nanoTime() - originNanos) / 1_000_000;
        errorsBefore = stats.errors();
        lostBefore = total(stats.connectionsLost());
    }

    /** When the current step is to be judged: its settle's end, {@link System#nanoTime()} time. */
    long judgeAt() {
        return origin + schedule.current().endNanos();
    }

    /**
     * Judges the current step, and starts the next one, if the search has one.
     *
     * @return whether a step runs now; false once the search is over
     */
    boolean advance() {
        FindRate.Step step = judge();
        steps.add(step);
        onStep.accept(step);
        decisions.record(step.outcome());
        current = decisions.next();
        if (current == null) {
            schedule.close();
            return false;
        }
        int phases = schedule.current().phases();
        long end = schedule.current().endNanos();
        long start = Math.max(end, System.nanoTime() + LEAD_NANOS - origin);
        schedule.append(start, segments(current.rate()));
        phasesAt(start, phases + (start > end ? 1 : 0));
        abandonBefore(origin + start);
        return true;
    }

    private FindRate.Step judge() {
        PhaseTally window = windowAsItStands();
        Map<ErrorKind, Long> errorsNow = stats.errors();
        long lostNow = total(stats.connectionsLost());
        Map<ErrorKind, Long> errors = new EnumMap<>(ErrorKind.class);
        errorsNow.forEach((kind, n) -> errors.put(kind, n - errorsBefore.getOrDefault(kind, 0L)));
        long lost = lostNow - lostBefore;
        errorsBefore = errorsNow;
        lostBefore = lostNow;
        long goalNanos = window.corrected().getTotalCount() == 0 ? -1 : search.goal().valueOf(window.corrected());
        Judgement j = judge(search.goal(), minAchievedRate, search.settle(), window, errors, lost);
        return new FindRate.Step(steps.size() + 1, current.rate(), current.repeat(), stepStart / 1e9,
                originMillis + windowFrom / 1_000_000, timing.duration().toNanos() / 1e9, window, errors, lost, j.outcome(), goalNanos, j.reason());
    }

    /**
     * The current step's window, each loop's part read on that loop, one loop after the other:
     * its requests answered, shed and failed, and those still outstanding, waiting to be sent
     * again or not sent at all, as unanswered with their latency up to now.
     */
    private PhaseTally windowAsItStands() {
        PhaseTally window = new PhaseTally();
        long from = origin + windowFrom;
        long to = from + timing.duration().toNanos();
        int phase = windowPhase;
        slotsByLoop.forEach((loop, slots) -> {
            if (!loop.isShuttingDown()) {
                loop.submit(() -> {
                    long now = System.nanoTime();
                    stats.of(loop).addPhaseTo(phase, window);
                    for (ConnectionSlot slot : slots) {
                        slot.addUnresolved(phase, from, to, now, window);
                    }
                }).syncUninterruptibly();
            }
        });
        return window;
    }

    /** Every slot gives up, on its own loop, the requests planned before {@code stepStartNanos} it has not sent. */
    private void abandonBefore(long stepStartNanos) {
        slotsByLoop.forEach((loop, slots) -> loop.execute(() -> {
            long now = System.nanoTime();
            LoopStats loopStats = stats.of(loop);
            for (ConnectionSlot slot : slots) {
                slot.abandonBefore(stepStartNanos, now, loopStats);
            }
        }));
    }

    /**
     * A stop request ended the search before it was over: the step under way is left unjudged,
     * and the search reports the steps judged so far, ending {@link FindRate.Ending#INTERRUPTED}.
     */
    void interrupted() {
        interrupted = true;
    }

    /** What the search found; once {@link #advance} has returned false, or once {@link #interrupted}. */
    FindRate result() {
        return new FindRate(search, timing.warmup(), timing.duration(), search.settle(), steps,
                interrupted ? FindRate.Ending.INTERRUPTED : decisions.ending(), decisions.answer(),
                decisions.lowestMissed());
    }

    /** A step's outcome, and why it did not hold (empty when it held). */
    record Judgement(FindRate.Outcome outcome, String reason) {
    }

    /**
     * Judges a step: an error or a lost connection ends the search; shed requests, the goal
     * missed (unanswered requests counted with their latency so far) or the rate not achieved
     * miss it.
     *
     * @param window the window's requests as they stood at the judgement
     * @param errors errors since the previous judgement, by kind
     * @param lost   connections lost since the previous judgement
     */
    static Judgement judge(RateGoal goal, double minAchievedRate, Duration settle, PhaseTally window,
            Map<ErrorKind, Long> errors, long lost) {
        List<String> reasons = new ArrayList<>();
        long errorCount = total(errors);
        if (lost > 0) {
            reasons.add(lost + (lost == 1 ? " connection" : " connections") + " lost");
        }
        if (errorCount > 0) {
            reasons.add(errorCount + (errorCount == 1 ? " error" : " errors") + kinds(errors));
        }
        boolean error = !reasons.isEmpty();
        if (window.shed() > 0) {
            reasons.add(window.shed() + " shed");
        }
        if (window.corrected().getTotalCount() == 0) {
            reasons.add("no request planned in the window");
        } else {
            long value = goal.valueOf(window.corrected());
            if (!goal.metBy(value)) {
                reasons.add(String.format(Locale.ROOT, "%s %s, not below %s%s", goal.label(), Millis.of(value),
                        goal.boundText(), window.unanswered() == 0 ? ""
                                : String.format(Locale.ROOT, " (%d unanswered %s after the window)",
                                        window.unanswered(), Millis.of(settle.toNanos()))));
            }
        }
        long planned = window.planned();
        double achieved = planned == 0 ? 1 : (double) (window.answered() + window.shed()) / planned;
        if (achieved < minAchievedRate) {
            reasons.add(String.format(Locale.ROOT, "%.1f%% of the planned requests answered, below %.1f%%",
                    100 * achieved, 100 * minAchievedRate));
        }
        FindRate.Outcome outcome = error ? FindRate.Outcome.ERROR
                : reasons.isEmpty() ? FindRate.Outcome.HELD : FindRate.Outcome.MISSED;
        return new Judgement(outcome, String.join("; ", reasons));
    }

    /** The kinds with a count, as " (timeout 3, reset 1)". */
    private static String kinds(Map<ErrorKind, Long> counts) {
        StringBuilder s = new StringBuilder();
        for (ErrorKind kind : ErrorKind.values()) {
            long n = counts.getOrDefault(kind, 0L);
            if (n > 0) {
                s.append(s.isEmpty() ? " (" : ", ").append(kind.label()).append(' ').append(n);
            }
        }
        return s.isEmpty() ? "" : s.append(')').toString();
    }

    private static long total(Map<?, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
