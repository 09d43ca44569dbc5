package dev.waymark.runs;

import dev.waymark.journeys.JourneyDefinition;
import dev.waymark.journeys.JourneyState;
import java.util.List;
import java.util.Optional;

/**
 * What the planner needs to know about a journey: its state and definition, its first run, and the runs
 * still open (SCHEDULED or RUNNING). Loading every run is never needed, however many a journey has.
 */
public record JourneyRunState(String journeyId, JourneyState state, JourneyDefinition definition,
                              Optional<JourneyRun> first, List<JourneyRun> open) {

    Optional<JourneyRun> openWith(RunStatus status) {
        return open.stream().filter(run -> run.status() == status).findFirst();
    }
}
