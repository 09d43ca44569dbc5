package dev.waymark.runs;

import dev.waymark.journeys.IsoDurations;
import dev.waymark.journeys.JourneyDefinition;
import dev.waymark.journeys.JourneyDefinition.StartKind;
import dev.waymark.journeys.JourneyState;
import dev.waymark.runs.RunChange.ChangeStatus;
import dev.waymark.runs.RunChange.Create;
import dev.waymark.runs.RunChange.Reschedule;
import dev.waymark.runs.RunChange.Withdraw;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides the runs of a journey (README, "Journey runs"). Each call looks at the journey as it is now and says
 * which transitions are due; applying the plan and calling again later is how runs advance. A call never moves the
 * same run twice, so every transition is its own step with its own LastUpdateTime, and calling again with nothing
 * due changes nothing.
 */
public final class RunPlanner {
    /** The last instant a run can be planned for: the wire and the stores hold years up to 9999. */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");
    /**
     * How soon the planner looks again while the engine still works on a journey (a run's entry, the last
     * participants of a CLOSED journey); the engine also wakes it as soon as it is done, so this is the fallback.
     */
    static final Duration ENGINE_RECHECK = Duration.ofSeconds(5);
    static final Duration PARTICIPANTS_RECHECK = Duration.ofSeconds(60);

    private final Clock clock;

    public RunPlanner(Clock clock) {
        this.clock = clock;
    }

    public RunPlan plan(JourneyRunState journey) {
        Instant now = Instant.ofEpochMilli(clock.millis());
        switch (journey.state()) {
            case CANCELLED:
                return new RunPlan(now, journey.open().stream()
                        .map(run -> (RunChange) new ChangeStatus(run, RunStatus.CANCELLED, now)).toList(),
                        Optional.empty(), Optional.empty());
            case CLOSED:
                // COMPLETED once the last participant has left (the engine wakes the planner when it does).
                if (journey.participantsRemain()) {
                    return new RunPlan(now, List.of(), Optional.empty(), Optional.of(now.plus(PARTICIPANTS_RECHECK)));
                }
                return new RunPlan(now, List.of(), Optional.of(JourneyState.COMPLETED), Optional.empty());
            case PAUSED:
                return paused(journey, now);
            case ACTIVE:
                return journey.definition().startKind() == StartKind.EVENT ? activeEvent(journey, now)
                        : activeSegment(journey, now);
            default:
                return RunPlan.nothing(now);
        }
    }

    /**
     * Paused: nothing starts, the SCHEDULED run waits; a RUNNING run whose entry is done completes, one still
     * entering waits with its entry for the resume.
     */
    private static RunPlan paused(JourneyRunState journey, Instant now) {
        if (journey.definition().startKind() == StartKind.EVENT) {
            return RunPlan.nothing(now);
        }
        return new RunPlan(now, journey.openWith(RunStatus.RUNNING)
                .filter(run -> !journey.unfinishedEntries().contains(run.runId()))
                .map(run -> List.<RunChange>of(new ChangeStatus(run, RunStatus.COMPLETED, now)))
                .orElse(List.of()), Optional.empty(), Optional.empty());
    }

    private RunPlan activeSegment(JourneyRunState journey, Instant now) {
        JourneyDefinition definition = journey.definition();
        if (journey.first().isEmpty()) {
            return firstRun(journey, now);
        }
        List<RunChange> changes = new ArrayList<>();
        Instant wake = null;
        boolean open = false;
        Optional<JourneyRun> running = journey.openWith(RunStatus.RUNNING);
        // A run completes once every endpoint it produced has entered or been refused (product.md rule 3).
        if (running.isPresent()) {
            if (journey.unfinishedEntries().contains(running.get().runId())) {
                open = true;
                wake = now.plus(ENGINE_RECHECK);
            } else {
                changes.add(new ChangeStatus(running.get(), RunStatus.COMPLETED, now));
            }
        }
        Optional<JourneyRun> scheduled = journey.openWith(RunStatus.SCHEDULED);
        if (scheduled.isPresent()) {
            JourneyRun run = scheduled.get();
            Optional<Instant> expected = expectedStart(run, journey);
            if (expected.isEmpty() || endsBeforeStart(definition, expected.get(), now)) {
                changes.add(new Withdraw(run));
            } else {
                open = true;
                if (!expected.get().equals(run.scheduledAt())) {
                    changes.add(new Reschedule(run, expected.get()));
                }
                if (expected.get().isAfter(now)) {
                    wake = wake == null || expected.get().isBefore(wake) ? expected.get() : wake;
                } else {
                    changes.add(new ChangeStatus(run, RunStatus.RUNNING, now));
                    nextRun(journey, run, now).ifPresent(next -> changes.add(new Create(next)));
                    wake = now;
                }
            }
        }
        if (!open) {
            // No further run is due and the last run has completed.
            return new RunPlan(now, changes, Optional.of(JourneyState.CLOSED), Optional.of(now));
        }
        return new RunPlan(now, changes, Optional.empty(), Optional.of(wake));
    }

    /** An event-started journey has one run, RUNNING from its start until the journey stops admitting endpoints. */
    private RunPlan activeEvent(JourneyRunState journey, Instant now) {
        if (journey.first().isEmpty()) {
            return firstRun(journey, now);
        }
        Optional<Instant> end = journey.definition().endTime();
        Optional<JourneyRun> scheduled = journey.openWith(RunStatus.SCHEDULED);
        if (scheduled.isPresent()) {
            JourneyRun run = scheduled.get();
            Instant expected = expectedStart(run, journey).orElseThrow();
            if (endsBeforeStart(journey.definition(), expected, now)) {
                return new RunPlan(now, List.of(new Withdraw(run)), Optional.of(JourneyState.CLOSED),
                        Optional.of(now));
            }
            List<RunChange> changes = new ArrayList<>();
            if (!expected.equals(run.scheduledAt())) {
                changes.add(new Reschedule(run, expected));
            }
            if (expected.isAfter(now)) {
                return new RunPlan(now, changes, Optional.empty(), Optional.of(expected));
            }
            changes.add(new ChangeStatus(run, RunStatus.RUNNING, now));
            return new RunPlan(now, changes, Optional.empty(), Optional.of(end.filter(now::isBefore).orElse(now)));
        }
        Optional<JourneyRun> running = journey.openWith(RunStatus.RUNNING);
        if (running.isPresent() && end.isPresent() && !end.get().isAfter(now)) {
            return new RunPlan(now, List.of(new ChangeStatus(running.get(), RunStatus.COMPLETED, now)),
                    Optional.of(JourneyState.CLOSED), Optional.of(now));
        }
        if (running.isPresent()) {
            return new RunPlan(now, List.of(), Optional.empty(), end);
        }
        return new RunPlan(now, List.of(), Optional.of(JourneyState.CLOSED), Optional.of(now));
    }

    /**
     * Whether EndTime comes before a run expected at {@code expected} would start: it starts then, or now when it is
     * overdue (run 1 late, or the run a resumed journey owes), and no run starts at or after EndTime.
     */
    private static boolean endsBeforeStart(JourneyDefinition definition, Instant expected, Instant now) {
        Instant start = expected.isAfter(now) ? expected : now;
        return definition.endTime().filter(end -> !start.isBefore(end)).isPresent();
    }

    /** Run 1 starts at StartTime, or at once when StartTime is absent or past; none when EndTime has passed. */
    private static RunPlan firstRun(JourneyRunState journey, Instant now) {
        JourneyDefinition definition = journey.definition();
        Instant start = definition.startTime().filter(now::isBefore).orElse(now);
        if (definition.endTime().isPresent() && !start.isBefore(definition.endTime().get())) {
            return new RunPlan(now, List.of(), Optional.of(JourneyState.CLOSED), Optional.of(now));
        }
        JourneyRun first = JourneyRun.scheduled(journey.journeyId(), 1, start, now);
        return new RunPlan(now, List.of(new Create(first)), Optional.empty(), Optional.of(start));
    }

    /**
     * When a SCHEDULED run should start under the journey's current definition; empty when it never will. Run 1
     * starts at StartTime but never before it was created; run k+1 at the first point of the grid
     * StartTime + j × RefreshFrequency after it was created (the grid starts at run 1 without a StartTime).
     */
    private static Optional<Instant> expectedStart(JourneyRun run, JourneyRunState journey) {
        JourneyDefinition definition = journey.definition();
        if (run.sequence() == 1 || definition.startKind() == StartKind.EVENT) {
            Instant start = definition.startTime().orElse(run.createdAt());
            return Optional.of(start.isBefore(run.createdAt()) ? run.createdAt() : start);
        }
        Optional<Duration> frequency = definition.refreshFrequency().map(RunPlanner::frequency);
        if (frequency.isEmpty()) {
            return Optional.empty();
        }
        return firstSlotAfter(anchor(journey), frequency.get(), run.createdAt())
                .filter(slot -> definition.endTime().filter(end -> !slot.isBefore(end)).isEmpty());
    }

    /** The run due after {@code started}, created now as SCHEDULED; empty when no further run is due. */
    private static Optional<JourneyRun> nextRun(JourneyRunState journey, JourneyRun started, Instant now) {
        JourneyDefinition definition = journey.definition();
        if (definition.refreshFrequency().isEmpty()) {
            return Optional.empty();
        }
        // CreationTime orders runs; keep it strictly increasing even when two transitions share a millisecond.
        Instant created = now.isAfter(started.createdAt()) ? now : started.createdAt().plusMillis(1);
        return firstSlotAfter(anchor(journey), frequency(definition.refreshFrequency().get()), created)
                .filter(slot -> definition.endTime().filter(end -> !slot.isBefore(end)).isEmpty())
                .map(slot -> JourneyRun.scheduled(journey.journeyId(), started.sequence() + 1, slot, created));
    }

    /**
     * The stored RefreshFrequency, within the bound requests are held to: a stored definition may predate the bound
     * (an import, an older Waymark), and planning with a longer one is a failure, not a run in the year 30000.
     */
    private static Duration frequency(String value) {
        return IsoDurations.parseAtMost(value, "RefreshFrequency", IsoDurations.LONGEST_JOURNEY);
    }

    private static Instant anchor(JourneyRunState journey) {
        return journey.definition().startTime().orElseGet(() -> journey.first().orElseThrow().scheduledAt());
    }

    /**
     * The first instant anchor + j × frequency (j ≥ 0) strictly after {@code after}; empty when it would be past
     * {@link #LATEST} (exact arithmetic: an overflow can never wrap round to a time in the past).
     */
    static Optional<Instant> firstSlotAfter(Instant anchor, Duration frequency, Instant after) {
        if (after.isBefore(anchor)) {
            return Optional.of(anchor);
        }
        try {
            long step = frequency.toMillis();
            long periods = Math.addExact(Duration.between(anchor, after).toMillis() / step, 1);
            Instant slot = anchor.plusMillis(Math.multiplyExact(periods, step));
            return slot.isAfter(LATEST) ? Optional.empty() : Optional.of(slot);
        } catch (ArithmeticException | java.time.DateTimeException e) {
            return Optional.empty();
        }
    }
}
