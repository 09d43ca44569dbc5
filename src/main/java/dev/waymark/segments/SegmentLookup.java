package dev.waymark.segments;

/** Whether segments exist, for journeys that name them. */
public interface SegmentLookup {
    /** Whether the app has the segment {@code segmentId}. */
    boolean exists(String appId, String segmentId);
}
