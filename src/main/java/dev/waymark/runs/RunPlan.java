package dev.waymark.runs;

import dev.waymark.journeys.JourneyState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What to do with a journey's runs at {@code at}, the journey state that follows, and when to look again (empty:
 * only a change to the journey can make anything due).
 */
public record RunPlan(Instant at, List<RunChange> changes, Optional<JourneyState> journeyState,
                      Optional<Instant> nextWake) {

    public static RunPlan nothing(Instant at) {
        return new RunPlan(at, List.of(), Optional.empty(), Optional.empty());
    }
}
