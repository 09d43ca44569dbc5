package dev.waymark.segments;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.store.Page;
import dev.waymark.store.PageCursor;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** The segments of every app and all their versions; each change is one transaction. */
interface SegmentStore extends SegmentVersions, SegmentLookup {
    /** Stores version 1 of a new segment; false when the app no longer exists. */
    boolean create(StoredSegment first);

    /**
     * Stores the next version of a segment with this definition (UpdateSegment replaces the whole definition); the
     * new version, or empty when the segment does not exist.
     */
    Optional<StoredSegment> update(String appId, String segmentId, ObjectNode definition, Instant at);

    /**
     * Sets the Size and ChannelCounts of an IMPORT segment's ImportDefinition in its latest version (no new version);
     * nothing when the segment is gone.
     */
    void importCounted(String appId, String segmentId, long size, Map<String, Long> channelCounts, Instant at);

    /**
     * Deletes a segment with all its versions, unless {@code users} names a published journey that uses it (then
     * RuleConflict naming the journey, and nothing is deleted); the latest version as it was, or empty when none.
     */
    Optional<StoredSegment> delete(String appId, String segmentId, SegmentUsers users);

    /** A page of the app's segments, each at its latest version. */
    Page<StoredSegment> list(String appId, Optional<PageCursor> after, int limit);

    /** A page of one segment's versions, oldest first. */
    Page<StoredSegment> versions(String appId, String segmentId, Optional<PageCursor> after, int limit);
}
