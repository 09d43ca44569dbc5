package dev.waymark.audience;

import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Writes event records inside a caller's transaction (the outbox records each delivery outcome with its state). An
 * event already stored under the same (app, endpoint key, event id) is left as it is, so a repeat writes nothing.
 */
public interface EventAppender {
    /** The key an endpoint's events are stored under, from its id in any case. */
    String endpointKey(String endpointId);

    /** Inserts the events that are not stored yet; the number inserted. */
    int append(Handle handle, List<EventRecord> events);
}
