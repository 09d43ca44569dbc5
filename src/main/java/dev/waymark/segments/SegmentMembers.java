package dev.waymark.segments;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The members of segments, for journeys: a segment version's criterion, its members selected inside the database a
 * page at a time, and one endpoint tested in Java. Both evaluations give the same answer for every endpoint.
 */
public interface SegmentMembers {
    /**
     * The criterion of the app's segment (its latest version, or {@code version}), with its source segments inlined;
     * empty when the segment or the version does not exist.
     */
    Optional<Criterion> criterion(String appId, String segmentId, Optional<Integer> version);

    /** The latest version of the app's segment; empty when it does not exist. */
    Optional<Integer> latestVersion(String appId, String segmentId);

    /**
     * The criterion of SegmentDimensions given inline (a split's segmentDimensions); an IllegalArgumentException (or
     * the segments' own rule violation) when they cannot be read.
     */
    Criterion criterionOf(String appId, ObjectNode dimensions);

    /** How many endpoints of the app meet the criterion at {@code now}, counted inside the database. */
    long count(String appId, Criterion criterion, Instant now);

    /** Up to {@code limit} members in endpoint key order after {@code afterKey}, as EndpointResponse JSON. */
    List<ObjectNode> page(String appId, Criterion criterion, Instant now, Optional<String> afterKey, int limit);

    /** Whether one endpoint (EndpointResponse JSON, as GetEndpoint answers) meets the criterion at {@code now}. */
    boolean test(String appId, Criterion criterion, ObjectNode endpoint, Instant now);
}
