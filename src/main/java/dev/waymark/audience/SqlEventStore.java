package dev.waymark.audience;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.waymark.rules.RuleViolation;
import dev.waymark.store.Store;
import dev.waymark.store.sql.Dialect;
import dev.waymark.wire.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Events in a SQL database: PutEvents writes its endpoints and its events in one transaction; reads serve
 * {@link EventLog}; other concepts write their own records through {@link EventAppender}.
 *
 * <p>The names an app's events have used (for the per-app quotas) are remembered per app, so that a request whose
 * names are all known writes no registry row and takes no lock. Names are never forgotten while the app lives, so a
 * name remembered is a name stored, on every node; a request that brings a name not remembered takes the app's
 * registry lock and reads the app's names from the database before it counts.
 */
public final class SqlEventStore implements EventLog, EventAppender {
    private static final TypeReference<LinkedHashMap<String, String>> ATTRIBUTES = new TypeReference<>() {};
    private static final TypeReference<LinkedHashMap<String, Double>> METRICS = new TypeReference<>() {};
    /** At most a million names remembered in all (up to 2,500 per app). */
    private static final long MAX_REMEMBERED_NAMES = 1_000_000;

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final EndpointRecords endpoints;
    private final Cache<String, EventNames> names = Caffeine.newBuilder().maximumWeight(MAX_REMEMBERED_NAMES)
            .weigher((String app, EventNames known) -> known.size() + 1).build();
    private final RowMapper<EventRecord> mapper;
    private volatile EventTap tap = EventTap.NONE;

    /**
     * The event log of {@code store}, whose endpoints it writes in the same transaction as the events and whose
     * endpoint deletions (DeleteEndpoint, DeleteUserEndpoints) take the endpoints' events with them.
     */
    public SqlEventStore(Jdbi jdbi, Dialect dialect, Store store) {
        this(jdbi, dialect, SqlEndpointStore.records(store));
        SqlEndpointStore.onDelete(store, (handle, appId, keys) -> EventRows.deleteOfEndpoints(handle, appId, keys));
    }

    /** Over any endpoint records (tests use their own). */
    SqlEventStore(Jdbi jdbi, Dialect dialect, EndpointRecords endpoints) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.endpoints = endpoints;
        this.mapper = (rs, ctx) -> new EventRecord(rs.getString("app_id"), rs.getString("endpoint_key"),
                rs.getString("event_id"), rs.getString("event_type"), Instant.ofEpochMilli(rs.getLong("timestamp_ms")),
                Instant.ofEpochMilli(rs.getLong("received_ms")), read(rs.getString("attributes"), ATTRIBUTES),
                read(rs.getString("metrics"), METRICS), object(rs.getString("session")),
                object(rs.getString("other")));
    }

    /** Tells {@code tap} of every record inserted from now on (the event stream's queue, wired by the store). */
    public void tap(EventTap tap) {
        this.tap = tap;
    }

    /** The outcome of one PutEvents request: per BatchItem and event, null when accepted, else the reason. */
    record Outcome(List<String> endpointRefusals, List<List<String>> eventRefusals, List<EventRecord> recorded) {}

    /**
     * Applies the endpoints and records the events of one request in one transaction; empty when the app does not
     * exist (any more).
     */
    Optional<Outcome> record(String appId, List<EventBatch> batches, Instant received) {
        EventNames known = names.getIfPresent(appId);
        boolean allKnown = known != null && batches.stream().filter(batch -> batch.endpoint() != null)
                .flatMap(batch -> batch.events().stream()).filter(entry -> entry.draft() != null)
                .allMatch(entry -> known.holdsAllOf(entry.draft()));
        Optional<Recorded> result;
        try {
            result = endpoints.queued(appId, () -> transaction(appId, batches, received, known, allKnown));
        } catch (JdbiException e) {
            // The app deleted while the request ran: the rows' reference to it fails, and it is gone.
            if (jdbi.withHandle(handle -> appExists(handle, appId))) {
                throw e;
            }
            return Optional.empty();
        }
        result.filter(recorded -> recorded.names() != known).ifPresent(recorded -> names.put(appId, recorded.names()));
        return result.map(Recorded::outcome);
    }

    private Optional<Recorded> transaction(String appId, List<EventBatch> batches, Instant received,
                                           EventNames known, boolean allKnown) {
        return jdbi.inTransaction(handle -> {
            if (!appExists(handle, appId)) {
                return Optional.empty();
            }
            EventNames before = known;
            if (!allKnown) {
                // Two requests bringing new names at once would each count without the other's.
                dialect.lockForTransaction(handle, "event-names:" + appId);
                before = loadNames(handle, appId);
            }
            return Optional.of(write(handle, appId, batches, received, before));
        });
    }

    private static boolean appExists(Handle handle, String appId) {
        return handle.createQuery("SELECT id FROM apps WHERE id = :id").bind("id", appId).mapTo(String.class)
                .findOne().isPresent();
    }

    private record Recorded(Outcome outcome, EventNames names) {}

    private Recorded write(Handle handle, String appId, List<EventBatch> batches, Instant received, EventNames before) {
        List<ObjectNode> items = new ArrayList<>();
        batches.stream().filter(batch -> batch.endpoint() != null).forEach(batch -> items.add(batch.endpoint()));
        List<Optional<String>> applied = items.isEmpty() ? List.of() : endpoints.applyEach(handle, appId, items);
        // Copied only when an event brings a name: the common request, all names known, copies nothing.
        EventNames after = before;
        List<String> endpointRefusals = new ArrayList<>();
        List<List<String>> eventRefusals = new ArrayList<>();
        List<EventRecord> accepted = new ArrayList<>();
        int item = 0;
        for (EventBatch batch : batches) {
            String endpointRefusal = batch.endpoint() == null ? batch.endpointRefusal()
                    : applied.get(item++).orElse(null);
            endpointRefusals.add(endpointRefusal);
            String key = batch.endpoint() == null ? null : endpoints.key(batch.endpointId());
            List<String> refusals = new ArrayList<>();
            for (EventBatch.Entry entry : batch.events()) {
                String refusal = entry.refusal();
                if (refusal == null && endpointRefusal != null) {
                    refusal = "The event's endpoint was not accepted: " + endpointRefusal;
                }
                if (refusal == null) {
                    try {
                        if (!after.holdsAllOf(entry.draft())) {
                            after = after == before ? before.copy() : after;
                            EventRules.admitNames(after, entry.draft());
                        }
                        accepted.add(recordOf(appId, key, entry.draft(), received));
                    } catch (RuleViolation e) {
                        refusal = e.getMessage();
                    }
                }
                refusals.add(refusal);
            }
            eventRefusals.add(refusals);
        }
        insertNewNames(handle, appId, before, after);
        List<EventRecord> recorded = insert(handle, accepted);
        return new Recorded(new Outcome(endpointRefusals, eventRefusals, recorded), after);
    }

    private static EventRecord recordOf(String appId, String key, EventDraft draft, Instant received) {
        return new EventRecord(appId, key, draft.eventId(), draft.eventType(), draft.timestamp(), received,
                draft.attributes(), draft.metrics(), Optional.ofNullable(draft.session()),
                Optional.ofNullable(draft.other()));
    }

    private void insertNewNames(Handle handle, String appId, EventNames before, EventNames after) {
        if (after == before) {
            return;
        }
        PreparedBatch batch = handle.prepareBatch("INSERT INTO event_names (app_id, kind, name) "
                + "VALUES (:app, :kind, :name) ON CONFLICT (app_id, kind, name) DO NOTHING");
        after.forEachNotIn(before, (kind, name) -> batch.bind("app", appId).bind("kind", kind.code)
                .bind("name", name).add());
        batch.execute();
    }

    /** Inserts the events; those already stored (a retried request) are left as they are and not returned. */
    private List<EventRecord> insert(Handle handle, List<EventRecord> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        PreparedBatch batch = handle.prepareBatch("INSERT INTO events (app_id, endpoint_key, event_id, event_type, "
                + "timestamp_ms, received_ms, attributes, metrics, session, other) VALUES (:app, :endpoint, :event, "
                + ":type, :timestamp, :received, " + json(":attributes") + ", " + json(":metrics")
                + ", :session, :other) ON CONFLICT (app_id, endpoint_key, event_id) DO NOTHING");
        for (EventRecord event : events) {
            batch.bind("app", event.appId()).bind("endpoint", event.endpointKey()).bind("event", event.eventId())
                    .bind("type", event.eventType()).bind("timestamp", event.timestamp().toEpochMilli())
                    .bind("received", event.received().toEpochMilli())
                    .bind("attributes", text(event.attributes())).bind("metrics", text(event.metrics()))
                    .bind("session", event.session().map(JsonNode::toString).orElse(null))
                    .bind("other", event.other().map(JsonNode::toString).orElse(null)).add();
        }
        int[] counts = batch.execute();
        List<EventRecord> recorded = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                recorded.add(events.get(i));
            }
        }
        if (!recorded.isEmpty()) {
            tap.written(handle, recorded, (appId, key) -> endpointOf(handle, appId, key));
        }
        return recorded;
    }

    private static Optional<ObjectNode> endpointOf(Handle handle, String appId, String key) {
        return handle.createQuery("SELECT * FROM endpoints WHERE app_id = :app AND id_key = :key")
                .bind("app", appId).bind("key", key).map(EndpointRows.MAPPER).findOne()
                .map(endpoint -> endpoint.response(appId));
    }

    @Override
    public String endpointKey(String endpointId) {
        return endpoints.key(endpointId);
    }

    @Override
    public int append(Handle handle, List<EventRecord> events) {
        // Not told to AcceptedEvents and not counted against the app's name quotas: these are Waymark's own records.
        return insert(handle, events).size();
    }

    private EventNames loadNames(Handle handle, String appId) {
        EventNames loaded = new EventNames();
        handle.createQuery("SELECT kind, name FROM event_names WHERE app_id = :app").bind("app", appId)
                .map((rs, ctx) -> {
                    loaded.add(EventNames.Kind.of(rs.getString(1)), rs.getString(2));
                    return null;
                }).forEach(row -> { });
        return loaded;
    }

    /** A JSON parameter: jsonb on PostgreSQL, so that later queries can use its operators; text on SQLite. */
    private String json(String parameter) {
        return dialect == Dialect.POSTGRESQL ? "CAST(" + parameter + " AS jsonb)" : parameter;
    }

    @Override
    public List<EventRecord> ofEndpoint(String appId, String endpointId, Instant since, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM events WHERE app_id = :app "
                        + "AND endpoint_key = :endpoint AND timestamp_ms >= :since ORDER BY timestamp_ms, event_id "
                        + "LIMIT :limit")
                .bind("app", appId).bind("endpoint", endpoints.key(endpointId)).bind("since", since.toEpochMilli())
                .bind("limit", bounded(limit)).map(mapper).list());
    }

    @Override
    public List<EventRecord> ofType(String appId, String eventType, Instant since, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM events WHERE app_id = :app "
                        + "AND event_type = :type AND timestamp_ms >= :since "
                        + "ORDER BY timestamp_ms, endpoint_key, event_id LIMIT :limit")
                .bind("app", appId).bind("type", eventType).bind("since", since.toEpochMilli())
                .bind("limit", bounded(limit)).map(mapper).list());
    }

    @Override
    public Map<String, Long> countOfType(String appId, String eventType, Instant from, Instant to,
                                         Map<String, Optional<String>> match, Optional<String> groupBy) {
        StringBuilder sql = new StringBuilder("SELECT ")
                .append(groupBy.map(this::attribute).orElse("''"))
                .append(" AS grp, COUNT(*) AS n FROM events WHERE app_id = :app AND event_type = :type"
                        + " AND timestamp_ms >= :from AND timestamp_ms <= :to");
        List<String> names = new ArrayList<>(match.keySet());
        for (int i = 0; i < names.size(); i++) {
            sql.append(" AND ").append(attribute(names.get(i)))
                    .append(match.get(names.get(i)).isPresent() ? " = :value" + i : " IS NULL");
        }
        groupBy.ifPresent(name -> sql.append(" AND ").append(attribute(name)).append(" IS NOT NULL"));
        sql.append(" GROUP BY grp ORDER BY grp LIMIT ").append(MAX_GROUPS);
        return jdbi.withHandle(handle -> {
            var query = handle.createQuery(sql.toString()).bind("app", appId).bind("type", eventType)
                    .bind("from", from.toEpochMilli()).bind("to", to.toEpochMilli());
            for (int i = 0; i < names.size(); i++) {
                int index = i;
                match.get(names.get(i)).ifPresent(value -> query.bind("value" + index, value));
            }
            Map<String, Long> counts = new LinkedHashMap<>();
            query.map((rs, ctx) -> Map.entry(rs.getString("grp"), rs.getLong("n"))).list()
                    .forEach(group -> counts.put(group.getKey(), group.getValue()));
            return counts;
        });
    }

    /** The SQL of one attribute's value: the name is the caller's constant, checked, never client data. */
    private String attribute(String name) {
        if (!name.matches("[A-Za-z0-9_]{1,64}")) {
            throw new IllegalArgumentException("an attribute name to count by is letters, digits and '_'");
        }
        return dialect == Dialect.POSTGRESQL ? "(attributes ->> '" + name + "')"
                : "json_extract(attributes, '$.\"" + name + "\"')";
    }

    @Override
    public long count(String appId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM events WHERE app_id = :app")
                .bind("app", appId).mapTo(Long.class).one());
    }

    @Override
    public int deleteOfEndpoints(String appId, Collection<String> endpointIds) {
        List<String> keys = endpointIds.stream().map(endpoints::key).distinct().toList();
        return jdbi.inTransaction(handle -> EventRows.deleteOfEndpoints(handle, appId, keys));
    }

    private static int bounded(int limit) {
        return Math.max(0, Math.min(limit, MAX_READ));
    }

    private static String text(Object value) {
        return new String(Json.write(value), StandardCharsets.UTF_8);
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored event JSON is not valid", e);
        }
    }

    private static Optional<ObjectNode> object(String json) {
        return json == null ? Optional.empty() : Optional.of((ObjectNode) Json.parseStored(json));
    }
}
