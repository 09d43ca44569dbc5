package dev.waymark.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.domain.JourneyRunState;
import dev.waymark.domain.RunPlan;
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

    public RunLifecycle(RunStore runs, RunPlanner planner) {
        this.runs = runs;
        this.planner = planner;
    }

    /** The plan applied, or empty when the journey no longer exists. */
    public Optional<RunPlan> advance(String journeyId) {
        return runs.reconcile(journeyId, current -> planner.plan(state(current)));
    }

    private static JourneyRunState state(RunsOfJourney current) {
        return new JourneyRunState(current.journey().id(), current.journey().state(),
                JourneyDefinitionReader.read((ObjectNode) Json.parseStored(current.journey().definition())),
                current.first(), current.last(), current.open());
    }
}
