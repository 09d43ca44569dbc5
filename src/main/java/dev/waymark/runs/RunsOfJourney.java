package dev.waymark.runs;

import dev.waymark.journeys.Journey;
import java.util.List;
import java.util.Optional;

/** A journey with the runs the planner looks at: the first and the open ones. */
public record RunsOfJourney(Journey journey, Optional<JourneyRun> first, List<JourneyRun> open) {}
