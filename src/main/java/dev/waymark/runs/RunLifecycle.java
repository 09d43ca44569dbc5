package dev.waymark.runs;

import dev.waymark.journeys.Journey;
import dev.waymark.journeys.JourneyDefinition;
import dev.waymark.journeys.JourneyState;
import dev.waymark.journeys.StoredJourneyReader;
import dev.waymark.ops.Metrics;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Advances the runs of one journey: asks the planner what is due and applies it in one transaction. */
public final class RunLifecycle {
    private final RunStore runs;
    private final RunPlanner planner;
    private final Metrics metrics;

    public RunLifecycle(RunStore runs, RunPlanner planner, Metrics metrics) {
        this.runs = runs;
        this.planner = planner;
        this.metrics = metrics;
    }

    /** The plan applied, or empty when the journey no longer exists. */
    public Optional<RunPlan> advance(String journeyId) {
        Optional<RunPlan> plan = runs.reconcile(journeyId, current -> planner.plan(state(current)));
        plan.ifPresent(this::count);
        return plan;
    }

    /** Counted once the plan is committed, so a rolled-back plan counts nothing. */
    private void count(RunPlan plan) {
        for (RunChange change : plan.changes()) {
            if (change instanceof RunChange.Create) {
                metrics.runTransition("SCHEDULED", null);
            } else if (change instanceof RunChange.ChangeStatus status) {
                metrics.runTransition(status.to().name(), status.to() == RunStatus.RUNNING
                        ? Duration.between(status.run().scheduledAt(), status.at()) : null);
            }
        }
    }

    private static JourneyRunState state(RunsOfJourney current) {
        Journey journey = current.journey();
        return new JourneyRunState(journey.id(), journey.state(), definition(journey),
                current.first(), current.open(), current.unfinishedEntries(), current.participantsRemain());
    }

    /**
     * The stored definition, read without today's request validation. A cancelled, closed or draft journey is
     * planned without its definition, so one that cannot be read is still cancelled and closed.
     */
    private static JourneyDefinition definition(Journey journey) {
        try {
            return StoredJourneyReader.read(journey);
        } catch (StoredJourneyReader.UnreadableDefinitionException e) {
            if (journey.state() == JourneyState.ACTIVE || journey.state() == JourneyState.PAUSED) {
                throw e;
            }
            return new JourneyDefinition(journey.name(), Optional.empty(), Optional.empty(), Map.of(),
                    Optional.empty(), Optional.empty(), Optional.empty(), JourneyDefinition.StartKind.NONE);
        }
    }
}
