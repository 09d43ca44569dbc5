package dev.waymark.audience;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * The events PutEvents accepted, as segments (Behavior.Recency), journey entry by event and EventCondition splits
 * read them. Lists are ordered by the event's Timestamp (then event id) and hold at most {@code limit} events.
 */
public interface EventLog {
    /** The most events one read returns, whatever {@code limit} asks. */
    int MAX_READ = 10_000;

    /** Events of one endpoint (id in any case) whose Timestamp is at or after {@code since}. */
    List<EventRecord> ofEndpoint(String appId, String endpointId, Instant since, int limit);

    /** Events of one type in the app whose Timestamp is at or after {@code since}. */
    List<EventRecord> ofType(String appId, String eventType, Instant since, int limit);

    /** How many events the app holds. */
    long count(String appId);

    /**
     * Deletes every event of these endpoints (ids in any case), in a transaction of its own; the number deleted.
     * (DeleteEndpoint and DeleteUserEndpoints delete the events inside their own transaction.)
     */
    int deleteOfEndpoints(String appId, Collection<String> endpointIds);
}
