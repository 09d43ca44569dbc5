package dev.waymark.segments;

import java.util.Optional;

/** Finds stored segment versions, for source segments while a definition is compiled into a criterion. */
interface SegmentVersions {
    /** The app's segment at {@code version}, or at its latest version when empty; empty when either is missing. */
    Optional<StoredSegment> find(String appId, String segmentId, Optional<Integer> version);
}
