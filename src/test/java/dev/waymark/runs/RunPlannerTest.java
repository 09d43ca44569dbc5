package dev.waymark.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.MutableClock;
import dev.waymark.journeys.Journey;
import dev.waymark.journeys.JourneyDefinition;
import dev.waymark.journeys.JourneyDefinition.StartKind;
import dev.waymark.journeys.JourneyState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every rule of product.md "Journey runs", on the planner alone, with plans applied to an in-memory history. */
class RunPlannerTest {
    private static final Instant T0 = Instant.parse("2027-01-01T00:00:00Z");
    private final MutableClock clock = new MutableClock(T0);
    private final RunPlanner planner = new RunPlanner(clock);

    /** One journey and its runs, advanced the way the scheduler advances it: plan, apply, wake when due. */
    private final class Journey {
        JourneyState state = JourneyState.ACTIVE;
        JourneyDefinition definition;
        final List<JourneyRun> runs = new ArrayList<>();
        /** A change to a journey asks for the planner at once, as the store records it. */
        Optional<Instant> wake;

        Journey(JourneyDefinition definition) {
            this.definition = definition;
            this.wake = Optional.of(clock.instant());
        }

        /** Plans once and applies the plan, as a reconcile does. */
        RunPlan step() {
            List<JourneyRun> bySequence = runs.stream().sorted(Comparator.comparingInt(JourneyRun::sequence)).toList();
            RunPlan plan = planner.plan(new JourneyRunState("j", state, definition,
                    bySequence.stream().findFirst(),
                    bySequence.stream().filter(run -> run.status() == RunStatus.SCHEDULED
                            || run.status() == RunStatus.RUNNING).toList()));
            for (RunChange change : plan.changes()) {
                if (change instanceof RunChange.Create create) {
                    assertThat(runs).noneMatch(run -> run.sequence() == create.run().sequence());
                    runs.add(create.run());
                } else if (change instanceof RunChange.ChangeStatus status) {
                    replace(status.run(), new JourneyRun("j", status.run().runId(), status.run().sequence(),
                            status.to(), status.run().scheduledAt(), status.run().createdAt(), status.at(),
                            status.to() == RunStatus.RUNNING ? status.at() : status.run().startedAt()));
                } else if (change instanceof RunChange.Reschedule reschedule) {
                    JourneyRun run = reschedule.run();
                    replace(run, new JourneyRun("j", run.runId(), run.sequence(), run.status(), reschedule.to(),
                            run.createdAt(), run.updatedAt(), run.startedAt()));
                } else if (change instanceof RunChange.Withdraw withdraw) {
                    runs.removeIf(run -> run.runId().equals(withdraw.run().runId()));
                }
            }
            plan.journeyState().ifPresent(next -> state = next);
            wake = plan.nextWake();
            return plan;
        }

        private void replace(JourneyRun before, JourneyRun after) {
            assertThat(runs.remove(before)).as("the run being changed is the stored one").isTrue();
            runs.add(after);
        }

        /** Moves the clock to {@code until}, waking the journey whenever it asked to be woken on the way. */
        void runUntil(Instant until) {
            for (int guard = 0; guard < 10_000 && wake.isPresent() && !wake.get().isAfter(until); guard++) {
                if (wake.get().isAfter(clock.instant())) {
                    clock.set(wake.get());
                }
                step();
            }
            clock.set(until);
        }

        List<RunStatus> statuses() {
            return runs.stream().sorted(Comparator.comparingInt(JourneyRun::sequence)).map(JourneyRun::status).toList();
        }

        JourneyRun run(int sequence) {
            return runs.stream().filter(run -> run.sequence() == sequence).findFirst().orElseThrow();
        }
    }

    private static JourneyDefinition segment(Instant start, Instant end, String refresh) {
        return definition(StartKind.SEGMENT, start, end, refresh);
    }

    private static JourneyDefinition definition(StartKind kind, Instant start, Instant end, String refresh) {
        return new JourneyDefinition("j", Optional.empty(), Optional.of("a"), Map.of(), Optional.ofNullable(refresh),
                Optional.ofNullable(start), Optional.ofNullable(end), kind);
    }

    @Test
    void futureStartTimeSchedulesRunOneThenRefreshes() {
        Journey journey = new Journey(segment(T0.plusSeconds(60), null, "PT1H"));
        journey.step();
        assertThat(journey.statuses()).containsExactly(RunStatus.SCHEDULED);
        assertThat(journey.run(1).scheduledAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(journey.run(1).createdAt()).isEqualTo(T0);
        assertThat(journey.wake).contains(T0.plusSeconds(60));

        clock.set(T0.plusSeconds(60));
        journey.step();
        assertThat(journey.statuses()).containsExactly(RunStatus.RUNNING, RunStatus.SCHEDULED);
        assertThat(journey.run(1).updatedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(journey.run(2).scheduledAt()).isEqualTo(T0.plusSeconds(60 + 3600));
        assertThat(journey.run(2).createdAt()).isEqualTo(T0.plusSeconds(60));

        journey.step();
        assertThat(journey.statuses()).containsExactly(RunStatus.COMPLETED, RunStatus.SCHEDULED);
        journey.runUntil(T0.plusSeconds(60 + 3 * 3600));
        assertThat(journey.statuses()).containsExactly(RunStatus.COMPLETED, RunStatus.COMPLETED, RunStatus.COMPLETED,
                RunStatus.COMPLETED, RunStatus.SCHEDULED);
        assertThat(journey.runs.stream().filter(run -> run.status() == RunStatus.SCHEDULED)).hasSize(1);
        assertThat(journey.state).isEqualTo(JourneyState.ACTIVE);
    }

    @Test
    void noStartTimeStartsAtActivation() {
        Journey journey = new Journey(segment(null, null, null));
        journey.step();
        assertThat(journey.run(1).scheduledAt()).isEqualTo(T0);
        assertThat(journey.wake).contains(T0);
        journey.step();
        assertThat(journey.statuses()).containsExactly(RunStatus.RUNNING);
        assertThat(journey.run(1).startedAt()).isEqualTo(T0);
    }

    @Test
    void pastStartTimeStartsAtActivationOnTheStartTimeGrid() {
        Instant start = T0.minus(Duration.ofHours(10)).minusSeconds(1800);
        Journey journey = new Journey(segment(start, null, "PT1H"));
        journey.runUntil(T0);
        assertThat(journey.run(1).scheduledAt()).isEqualTo(T0);
        assertThat(journey.statuses()).containsExactly(RunStatus.COMPLETED, RunStatus.SCHEDULED);
        // StartTime + k × RefreshFrequency: the next point of that grid after activation.
        assertThat(journey.run(2).scheduledAt()).isEqualTo(T0.plusSeconds(1800));
    }

    @Test
    void withoutRefreshThereIsExactlyOneRunThenTheJourneyClosesAndCompletes() {
        Journey journey = new Journey(segment(null, null, null));
        journey.runUntil(T0.plusSeconds(1));
        assertThat(journey.statuses()).containsExactly(RunStatus.COMPLETED);
        assertThat(journey.state).isEqualTo(JourneyState.COMPLETED);
        assertThat(journey.wake).isEmpty();
        journey.step();
        assertThat(journey.statuses()).containsExactly(RunStatus.COMPLETED);
    }

    @Test
    void closedPassesThroughClosedBeforeCompleted() {
        Journey journey = new Journey(segment(null, null, null));
        journey.step();
        journey.step();
        RunPlan closing = journey.step();
        assertThat(closing.journeyState()).contains(JourneyState.CLOSED);
        assertThat(journey.step().journeyState()).contains(JourneyState.COMPLETED);
    }

    @Test
    void noRunStartsAtOrAfterEndTime() {
        Journey journey = new Journey(segment(T0, T0.plus(Duration.ofHours(2)).plusSeconds(1), "PT1H"));
        journey.runUntil(T0.plus(Duration.ofHours(5)));
        assertThat(journey.runs).extracting(JourneyRun::scheduledAt)
                .containsExactlyInAnyOrder(T0, T0.plusSeconds(3600), T0.plusSeconds(7200));
        assertThat(journey.statuses()).containsOnly(RunStatus.COMPLETED);
        assertThat(journey.state).isEqualTo(JourneyState.COMPLETED);
    }

    @Test
    void endTimeAlreadyPastMeansNoRun() {
        Journey journey = new Journey(segment(T0.minusSeconds(100), T0.minusSeconds(10), "PT1H"));
        journey.runUntil(T0.plusSeconds(1));
        assertThat(journey.runs).isEmpty();
        assertThat(journey.state).isEqualTo(JourneyState.COMPLETED);
    }

    @Test
    void pauseAcrossSeveralMissedIntervalsStartsOneOverdueRun() {
        Journey journey = new Journey(segment(T0, null, "PT1H"));
        journey.runUntil(T0.plusSeconds(1));
        assertThat(journey.statuses()).containsExactly(RunStatus.COMPLETED, RunStatus.SCHEDULED);

        journey.state = JourneyState.PAUSED;
        journey.step();
        assertThat(journey.wake).isEmpty();
        clock.set(T0.plus(Duration.ofHours(5)).plusSeconds(600));
        journey.step();
        assertThat(journey.statuses()).containsExactly(RunStatus.COMPLETED, RunStatus.SCHEDULED);

        journey.state = JourneyState.ACTIVE;
        journey.step();
        assertThat(journey.statuses()).containsExactly(RunStatus.COMPLETED, RunStatus.RUNNING, RunStatus.SCHEDULED);
        assertThat(journey.run(2).scheduledAt()).isEqualTo(T0.plusSeconds(3600));
        assertThat(journey.run(2).startedAt()).isEqualTo(T0.plus(Duration.ofHours(5)).plusSeconds(600));
        assertThat(journey.run(3).scheduledAt()).isEqualTo(T0.plus(Duration.ofHours(6)));
    }

    @Test
    void aRunningEvaluationFinishesWhilePaused() {
        Journey journey = new Journey(segment(null, null, "PT1H"));
        journey.step();
        journey.step();
        journey.state = JourneyState.PAUSED;
        journey.step();
        assertThat(journey.statuses()).containsExactly(RunStatus.COMPLETED, RunStatus.SCHEDULED);
    }

    @Test
    void cancelWhileRunningCancelsEveryOpenRunAndSchedulesNothing() {
        Journey journey = new Journey(segment(null, null, "PT1H"));
        journey.step();
        journey.step();
        assertThat(journey.statuses()).containsExactly(RunStatus.RUNNING, RunStatus.SCHEDULED);
        clock.advance(Duration.ofMillis(5));
        journey.state = JourneyState.CANCELLED;
        journey.step();
        assertThat(journey.statuses()).containsExactly(RunStatus.CANCELLED, RunStatus.CANCELLED);
        assertThat(journey.run(1).updatedAt()).isEqualTo(T0.plusMillis(5));
        assertThat(journey.wake).isEmpty();
        journey.runUntil(T0.plus(Duration.ofDays(1)));
        assertThat(journey.runs).hasSize(2);
    }

    @Test
    void eventStartedJourneysHaveOneRunUntilTheyStopAdmitting() {
        Journey journey = new Journey(definition(StartKind.EVENT, T0.plusSeconds(10), T0.plusSeconds(100), "PT1M"));
        journey.runUntil(T0.plusSeconds(50));
        assertThat(journey.statuses()).containsExactly(RunStatus.RUNNING);
        assertThat(journey.wake).contains(T0.plusSeconds(100));
        journey.runUntil(T0.plusSeconds(200));
        assertThat(journey.statuses()).containsExactly(RunStatus.COMPLETED);
        assertThat(journey.state).isEqualTo(JourneyState.COMPLETED);

        Journey open = new Journey(definition(StartKind.EVENT, null, null, null));
        open.runUntil(T0.plus(Duration.ofDays(30)));
        assertThat(open.statuses()).containsExactly(RunStatus.RUNNING);
        assertThat(open.wake).isEmpty();
        open.state = JourneyState.CANCELLED;
        open.step();
        assertThat(open.statuses()).containsExactly(RunStatus.CANCELLED);
    }

    @Test
    void changedScheduleReplansTheScheduledRun() {
        Journey journey = new Journey(segment(T0.plusSeconds(600), null, "PT1H"));
        journey.step();
        journey.definition = segment(T0.plusSeconds(1200), null, "PT1H");
        journey.step();
        assertThat(journey.run(1).scheduledAt()).isEqualTo(T0.plusSeconds(1200));
        assertThat(journey.wake).contains(T0.plusSeconds(1200));

        journey.runUntil(T0.plusSeconds(1201));
        assertThat(journey.run(2).scheduledAt()).isEqualTo(T0.plusSeconds(1200 + 3600));
        journey.definition = segment(T0.plusSeconds(1200), null, "PT10M");
        journey.step();
        assertThat(journey.run(2).scheduledAt()).isEqualTo(T0.plusSeconds(1800));

        journey.definition = segment(T0.plusSeconds(1200), null, null);
        journey.step();
        assertThat(journey.statuses()).containsExactly(RunStatus.COMPLETED);
        assertThat(journey.state).isEqualTo(JourneyState.CLOSED);
    }

    @Test
    void creationTimesStrictlyIncreaseWithinOneMillisecond() {
        Journey journey = new Journey(segment(null, null, "PT1M"));
        journey.step();
        journey.step();
        assertThat(journey.run(2).createdAt()).isAfter(journey.run(1).createdAt());
    }

    @Test
    void draftsAndCompletedJourneysHaveNothingToDo() {
        Journey draft = new Journey(segment(null, null, "PT1M"));
        draft.state = JourneyState.DRAFT;
        assertThat(draft.step().changes()).isEmpty();
        assertThat(draft.wake).isEmpty();
    }

    @Test
    void slotsOfTheGrid() {
        assertThat(RunPlanner.firstSlotAfter(T0, Duration.ofMinutes(10), T0)).contains(T0.plusSeconds(600));
        assertThat(RunPlanner.firstSlotAfter(T0, Duration.ofMinutes(10), T0.minusSeconds(5))).contains(T0);
        assertThat(RunPlanner.firstSlotAfter(T0, Duration.ofMinutes(10), T0.plusSeconds(1799)))
                .contains(T0.plusSeconds(1800));
        assertThat(RunPlanner.firstSlotAfter(T0, Duration.ofMinutes(10), T0.plusSeconds(1800)))
                .contains(T0.plusSeconds(2400));
    }

    @Test
    void slotsBeyondTheLastPlannableTimeAreNone() {
        assertThat(RunPlanner.firstSlotAfter(T0, Duration.ofDays(540), Instant.parse("9999-06-01T00:00:00Z")))
                .isEmpty();
        // A duration no request may carry any more (one that overflows milliseconds) plans nothing, never wraps.
        assertThat(RunPlanner.firstSlotAfter(T0, Duration.ofSeconds(10_000_000_000_000_000L), T0.plusSeconds(1)))
                .isEmpty();
    }

    @Test
    void aStoredRefreshFrequencyBeyondTheBoundFailsPlanningInsteadOfOverflowing() {
        Journey journey = new Journey(segment(T0, null, "PT10000000000000000S"));
        journey.step();
        clock.set(T0.plusSeconds(1));
        org.assertj.core.api.Assertions.assertThatThrownBy(journey::step)
                .hasMessageContaining("RefreshFrequency must be at most P540D");
    }

    @Test
    void runOneDoesNotStartAtOrAfterAnEndTimeMovedBeforeIt() {
        Journey journey = new Journey(segment(T0.plusSeconds(600), null, null));
        journey.step();
        assertThat(journey.statuses()).containsExactly(RunStatus.SCHEDULED);
        // UpdateJourney on the ACTIVE journey: EndTime now comes before run 1's start.
        journey.definition = segment(T0.plusSeconds(600), T0.plusSeconds(700), null);
        clock.set(T0.plusSeconds(700));
        journey.step();
        assertThat(journey.runs).isEmpty();
        assertThat(journey.state).isEqualTo(JourneyState.CLOSED);
    }

    @Test
    void anOverdueRunOnResumeDoesNotStartAtOrAfterEndTime() {
        Instant end = T0.plus(Duration.ofHours(3));
        Journey journey = new Journey(segment(T0, end, "PT1H"));
        journey.runUntil(T0.plusSeconds(1));
        assertThat(journey.statuses()).containsExactly(RunStatus.COMPLETED, RunStatus.SCHEDULED);
        journey.state = JourneyState.PAUSED;
        journey.step();
        clock.set(end.plusSeconds(60));
        journey.state = JourneyState.ACTIVE;
        journey.step();
        assertThat(journey.runs).extracting(JourneyRun::status).containsExactly(RunStatus.COMPLETED);
        assertThat(journey.state).isEqualTo(JourneyState.CLOSED);
    }

    @Test
    void anEventJourneyWhoseRunWouldStartAfterEndTimeCloses() {
        Journey journey = new Journey(definition(StartKind.EVENT, T0.plusSeconds(600), null, null));
        journey.step();
        journey.definition = definition(StartKind.EVENT, T0.plusSeconds(600), T0.plusSeconds(650), null);
        clock.set(T0.plusSeconds(660));
        journey.step();
        assertThat(journey.runs).isEmpty();
        assertThat(journey.state).isEqualTo(JourneyState.CLOSED);
    }
}
