package dev.waymark.runs;

import dev.waymark.journeys.JourneyDefinition;
import dev.waymark.journeys.JourneyState;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the planner needs to know about a journey: its state and definition, its first run, and the runs
 * still open (SCHEDULED or RUNNING). Loading every run is never needed, however many a journey has. From the engine:
 * the runs whose entry is still in progress, and whether participants remain in the journey.
 */
public record JourneyRunState(String journeyId, JourneyState state, JourneyDefinition definition,
                              Optional<JourneyRun> first, List<JourneyRun> open, Set<String> unfinishedEntries,
                              boolean participantsRemain) {

    /** Without an engine's progress: every entry done, nobody in the journey. */
    public JourneyRunState(String journeyId, JourneyState state, JourneyDefinition definition,
                           Optional<JourneyRun> first, List<JourneyRun> open) {
        this(journeyId, state, definition, first, open, Set.of(), false);
    }

    Optional<JourneyRun> openWith(RunStatus status) {
        return open.stream().filter(run -> run.status() == status).findFirst();
    }
}
