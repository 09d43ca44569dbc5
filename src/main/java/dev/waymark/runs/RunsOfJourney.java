package dev.waymark.runs;

import dev.waymark.journeys.Journey;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A journey with the runs the planner looks at: the first and the open ones; with the engine's progress: the runs
 * whose entry is not done yet, and whether participants remain.
 */
public record RunsOfJourney(Journey journey, Optional<JourneyRun> first, List<JourneyRun> open,
                            Set<String> unfinishedEntries, boolean participantsRemain) {}
