package dev.waymark.segments;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One version of a segment as stored: {@code definition} is the WriteSegmentRequest as accepted (Name and either
 * Dimensions or SegmentGroups; for an IMPORT segment, Name and ImportDefinition), {@code type} DIMENSIONAL or IMPORT;
 * {@code created} is when the segment was made, {@code modified} when this version was.
 */
record StoredSegment(String appId, String id, int version, String type, ObjectNode definition, Instant created,
                     Instant modified) {
    static final String DIMENSIONAL = "DIMENSIONAL";
    static final String IMPORT = "IMPORT";
}
