package dev.waymark.segments;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.audience.EventLog;
import java.time.Instant;

/** TEMP stub of the grammar helper's class; dropped by the integrator. */
final class EndpointMatcher {
    /** Whether an endpoint is a member of an IMPORT segment. */
    interface ImportMembership {
        boolean contains(String appId, String segmentId, String endpointId);
    }

    EndpointMatcher(EventLog events, ImportMembership members) {
    }

    boolean test(String appId, Criterion criterion, ObjectNode endpoint, Instant now) {
        return true;
    }
}
