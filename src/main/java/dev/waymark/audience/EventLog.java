package dev.waymark.audience;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /** The most groups one {@link #countOfType} answers. */
    int MAX_GROUPS = 1_000;

    /**
     * How many events of one type the app holds whose Timestamp is in [{@code from}, {@code to}] and whose
     * attributes match {@code match} (each named attribute equal to its value, or absent where the value is empty).
     * With {@code groupBy}, counted per value of that attribute (events without it are not counted); without, one
     * group keyed "". At most {@link #MAX_GROUPS} groups, the first by key; groups with no event are absent.
     * Attribute names are the caller's own constants: letters, digits and '_' only.
     */
    Map<String, Long> countOfType(String appId, String eventType, Instant from, Instant to,
                                  Map<String, Optional<String>> match, Optional<String> groupBy);

    /** How many events the app holds. */
    long count(String appId);

    /**
     * Deletes every event of these endpoints (ids in any case), in a transaction of its own; the number deleted.
     * (DeleteEndpoint and DeleteUserEndpoints delete the events inside their own transaction.)
     */
    int deleteOfEndpoints(String appId, Collection<String> endpointIds);
}
