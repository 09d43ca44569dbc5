package dev.waymark.segments;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** TEMP stub of the grammar helper's class; dropped by the integrator. */
final class CriterionReader {
    private final SegmentVersions versions;

    CriterionReader(SegmentVersions versions) {
        this.versions = versions;
    }

    Criterion read(StoredSegment segment) {
        if (StoredSegment.IMPORT.equals(segment.type())) {
            return new Criterion.ImportedInto(segment.id());
        }
        return read(segment.appId(), segment.definition());
    }

    Criterion read(String appId, ObjectNode definition) {
        return new Criterion.Everyone();
    }
}
