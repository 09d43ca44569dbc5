package dev.waymark.analytics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.waymark.audience.EventRecord;
import dev.waymark.audience.EventTap;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The event stream's queue in the {@code event_stream_queue} table (V17): the event log's tap writes a row for every
 * record of an app with a stream, in the record's own transaction; the deliverer claims an app (its lease on the
 * {@code event_streams} row), reads the app's first rows in id order, and deletes what was delivered.
 */
public final class SqlEventStreamQueue implements EventTap {
    /** Whether an app has a stream is remembered this long: a stream put on another node is heard of this late. */
    static final Duration HAS_STREAM_TTL = Duration.ofSeconds(2);
    private static final long MAX_REMEMBERED_APPS = 100_000;

    private final Jdbi jdbi;
    private final Clock clock;
    private final Cache<String, Optional<String>> accounts = Caffeine.newBuilder().maximumSize(MAX_REMEMBERED_APPS)
            .expireAfterWrite(HAS_STREAM_TTL).build();

    public SqlEventStreamQueue(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** A queued record: its row id, the endpoint it belongs to, its JSON, and the back-off state of the row. */
    record Queued(long id, String endpointKey, String record, long createdMs, int attempts, long nextAttemptMs) {}

    /** An app whose first row is due, with where its stream goes. */
    record DueApp(String appId, String destination) {}

    @Override
    public void written(Handle handle, List<EventRecord> records, EndpointReader endpoints) {
        Map<String, List<EventRecord>> byApp = new LinkedHashMap<>();
        records.forEach(event -> byApp.computeIfAbsent(event.appId(), app -> new ArrayList<>()).add(event));
        for (Map.Entry<String, List<EventRecord>> app : byApp.entrySet()) {
            // The account of the stream's role, or none: apps without a stream (most) cost one cached look-up.
            Optional<String> account = accounts.get(app.getKey(), id -> accountOf(handle, id));
            if (account.isPresent()) {
                queue(handle, app.getKey(), app.getValue(), endpoints, account.get());
            }
        }
    }

    private void queue(Handle handle, String appId, List<EventRecord> records, EndpointReader endpoints,
                       String account) {
        long now = clock.millis();
        Map<String, Optional<ObjectNode>> read = new HashMap<>();
        // The guard re-checks inside the transaction: a stream deleted since it was remembered queues nothing.
        PreparedBatch batch = handle.prepareBatch("INSERT INTO event_stream_queue (app_id, endpoint_key, record, "
                + "created_ms, attempts, next_attempt_ms) SELECT :app, :endpoint, :record, :now, 0, :now "
                + "WHERE EXISTS (SELECT 1 FROM event_streams WHERE app_id = :app)");
        for (EventRecord event : records) {
            String key = event.endpointKey() == null ? "" : event.endpointKey();
            Optional<ObjectNode> endpoint = key.isEmpty() ? Optional.empty()
                    : read.computeIfAbsent(key, found -> endpoints.read(appId, found));
            batch.bind("app", appId).bind("endpoint", key)
                    .bind("record", StreamRecordFormat.format(event, endpoint, account)).bind("now", now).add();
        }
        batch.execute();
    }

    /** Forgets what this node remembered of the app's stream (PutEventStream and DeleteEventStream here). */
    void forget(String appId) {
        accounts.invalidate(appId);
    }

    private static Optional<String> accountOf(Handle handle, String appId) {
        return handle.createQuery("SELECT role_arn FROM event_streams WHERE app_id = :app").bind("app", appId)
                .mapTo(String.class).findOne().map(SqlEventStreamQueue::account);
    }

    /** The account of an ARN (its fifth field), "" when it has none. */
    static String account(String arn) {
        String[] parts = arn.split(":", 6);
        return parts.length >= 5 ? parts[4] : "";
    }

    /** Apps whose first row is due and whose lease is free, at most {@code limit}. */
    List<DueApp> due(long now, int limit) {
        // From the streams (few) to each one's first row (an index seek), not over the whole queue (a backlog).
        return jdbi.withHandle(handle -> handle.createQuery("SELECT s.app_id, s.destination FROM event_streams s "
                        + "JOIN event_stream_queue q ON q.app_id = s.app_id AND q.id = "
                        + "(SELECT MIN(m.id) FROM event_stream_queue m WHERE m.app_id = s.app_id) "
                        + "WHERE q.next_attempt_ms <= :now AND s.lease_until_ms < :now ORDER BY q.id LIMIT :limit")
                .bind("now", now).bind("limit", limit)
                .map((rs, ctx) -> new DueApp(rs.getString(1), rs.getString(2))).list());
    }

    /** Takes the app's lease until {@code until} when it is free; false when another node holds it. */
    boolean claim(String appId, String owner, long now, long until) {
        return jdbi.inTransaction(handle -> handle.createUpdate("UPDATE event_streams SET lease_owner = :owner, "
                        + "lease_until_ms = :until WHERE app_id = :app AND (lease_until_ms < :now OR lease_owner = :owner)")
                .bind("owner", owner).bind("until", until).bind("app", appId).bind("now", now).execute() == 1);
    }

    /** Lets go of the app's lease, if this owner still holds it. */
    void release(String appId, String owner) {
        jdbi.inTransaction(handle -> handle.createUpdate("UPDATE event_streams SET lease_until_ms = 0 "
                + "WHERE app_id = :app AND lease_owner = :owner").bind("app", appId).bind("owner", owner).execute());
    }

    /** The app's stream destination now, empty when its stream was deleted. */
    Optional<EventStreamTarget> target(String appId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT destination FROM event_streams WHERE app_id = :app")
                .bind("app", appId).mapTo(String.class).findOne().map(EventStreamTarget::new));
    }

    /** The app's first rows in id order, at most {@code limit}. */
    List<Queued> head(String appId, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT id, endpoint_key, record, created_ms, attempts, "
                        + "next_attempt_ms FROM event_stream_queue WHERE app_id = :app ORDER BY id LIMIT :limit")
                .bind("app", appId).bind("limit", limit)
                .map((rs, ctx) -> new Queued(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getInt(5), rs.getLong(6))).list());
    }

    /** Deletes delivered rows: the cursor moves past them, in one transaction. */
    void delete(String appId, List<Queued> rows) {
        if (rows.isEmpty()) {
            return;
        }
        jdbi.useTransaction(handle -> {
            PreparedBatch batch = handle.prepareBatch("DELETE FROM event_stream_queue WHERE app_id = :app AND id = :id");
            rows.forEach(row -> batch.bind("app", appId).bind("id", row.id()).add());
            batch.execute();
        });
    }

    /** Records a failed attempt on the app's first row: the app waits until {@code nextAttemptMs}. */
    void failed(String appId, Queued first, long nextAttemptMs) {
        jdbi.useTransaction(handle -> handle.createUpdate("UPDATE event_stream_queue SET attempts = attempts + 1, "
                        + "next_attempt_ms = :next WHERE app_id = :app AND id = :id")
                .bind("next", nextAttemptMs).bind("app", appId).bind("id", first.id()).execute());
    }

    /** When the oldest row still queued was written (the lag), empty when nothing is queued. */
    Optional<Long> oldestCreatedMs() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT created_ms FROM event_stream_queue ORDER BY id LIMIT 1")
                .mapTo(Long.class).findOne());
    }

    /** Deletes the rows of apps that have no stream any more (a delete raced a write on another node). */
    int dropOrphans() {
        return jdbi.inTransaction(handle -> handle.createUpdate("DELETE FROM event_stream_queue WHERE app_id NOT IN "
                + "(SELECT app_id FROM event_streams)").execute());
    }
}
