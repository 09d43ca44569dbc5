package dev.waymark.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.domain.JourneyRunState;
import dev.waymark.domain.RunChange;
import dev.waymark.domain.RunPlan;
import dev.waymark.domain.RunStatus;
import dev.waymark.ops.Metrics;
import java.time.Duration;
import dev.waymark.domain.RunPlanner;
import dev.waymark.store.RunStore;
import dev.waymark.store.RunsOfJourney;
import dev.waymark.wire.JourneyDefinitionReader;
import dev.waymark.wire.Json;
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
        return new JourneyRunState(current.journey().id(), current.journey().state(),
                JourneyDefinitionReader.read((ObjectNode) Json.parseStored(current.journey().definition())),
                current.first(), current.last(), current.open());
    }
}
