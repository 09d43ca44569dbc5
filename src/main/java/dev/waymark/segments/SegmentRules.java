package dev.waymark.segments;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** TEMP stub of the grammar helper's class; dropped by the integrator. */
final class SegmentRules {
    private SegmentRules() {}

    static void check(ObjectNode request) {
    }
}
