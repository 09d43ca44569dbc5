package dev.waymark.journeys;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of a journey definition that Waymark's rules look at; the rest is kept as the client sent it.
 * Built from a validated request by the wire layer.
 */
public record JourneyDefinition(
        String name,
        Optional<JourneyState> state,
        Optional<String> startActivity,
        Map<String, ActivityNode> activities,
        Optional<String> refreshFrequency,
        Optional<Instant> startTime,
        Optional<Instant> endTime,
        StartKind startKind) {

    /** How endpoints enter the journey. */
    public enum StartKind { NONE, SEGMENT, EVENT, BOTH }

    /** One activity: which kind members it sets, and the activities it leads to. */
    public record ActivityNode(String id, List<String> kinds, List<Link> links, Optional<RandomSplit> randomSplit,
                               Optional<Integer> multiConditionBranches) {}

    /** A reference to another activity, with the member path that holds it. */
    public record Link(String path, String target) {}

    /** The branch percentages of a RandomSplit activity (null where a branch has none). */
    public record RandomSplit(List<Integer> percentages) {}
}
