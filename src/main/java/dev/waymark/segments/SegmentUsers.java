package dev.waymark.segments;

import java.util.Optional;

/** Who uses a segment, asked before it is deleted: the journeys concept answers, the server connects them. */
public interface SegmentUsers {
    /** The id of an ACTIVE or PAUSED journey of the app that names the segment anywhere; empty when none does. */
    Optional<String> publishedJourneyUsing(String appId, String segmentId);
}
