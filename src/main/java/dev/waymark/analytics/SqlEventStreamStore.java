package dev.waymark.analytics;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** Event streams in the {@code event_streams} table (V16), one row per app. */
public final class SqlEventStreamStore implements EventStreamStore {
    private static final RowMapper<EventStream> MAPPER = (rs, ctx) -> new EventStream(rs.getString("app_id"),
            rs.getString("destination"), rs.getString("role_arn"), rs.getString("updated_by"),
            Instant.ofEpochMilli(rs.getLong("modified_ms")));

    private final Jdbi jdbi;
    private final Optional<SqlEventStreamQueue> queue;

    public SqlEventStreamStore(Jdbi jdbi) {
        this(jdbi, Optional.empty());
    }

    /** A store whose deletions drop the app's queued records, and whose changes the queue hears at once here. */
    public SqlEventStreamStore(Jdbi jdbi, Optional<SqlEventStreamQueue> queue) {
        this.jdbi = jdbi;
        this.queue = queue;
    }

    @Override
    public boolean put(EventStream stream) {
        return jdbi.inTransaction(handle -> {
            if (handle.createQuery("SELECT id FROM apps WHERE id = :app").bind("app", stream.appId())
                    .mapTo(String.class).findOne().isEmpty()) {
                return false;
            }
            handle.createUpdate("INSERT INTO event_streams (app_id, destination, role_arn, updated_by, modified_ms) "
                            + "VALUES (:app, :destination, :role, :by, :at) ON CONFLICT (app_id) DO UPDATE SET "
                            + "destination = excluded.destination, role_arn = excluded.role_arn, "
                            + "updated_by = excluded.updated_by, modified_ms = excluded.modified_ms")
                    .bind("app", stream.appId()).bind("destination", stream.destination())
                    .bind("role", stream.roleArn()).bind("by", stream.updatedBy())
                    .bind("at", stream.modified().toEpochMilli()).execute();
            return true;
        }) && forgotten(stream.appId());
    }

    @Override
    public Optional<EventStream> find(String appId) {
        return jdbi.withHandle(handle -> find(handle, appId));
    }

    @Override
    public Optional<EventStream> delete(String appId) {
        return jdbi.inTransaction(handle -> {
            Optional<EventStream> existing = find(handle, appId);
            existing.ifPresent(stream -> {
                // The queue goes with the stream: what was not delivered yet never will be.
                handle.createUpdate("DELETE FROM event_stream_queue WHERE app_id = :app").bind("app", appId).execute();
                handle.createUpdate("DELETE FROM event_streams WHERE app_id = :app").bind("app", appId).execute();
            });
            return existing;
        }).map(stream -> {
            forgotten(appId);
            return stream;
        });
    }

    private boolean forgotten(String appId) {
        queue.ifPresent(known -> known.forget(appId));
        return true;
    }

    private static Optional<EventStream> find(Handle handle, String appId) {
        return handle.createQuery("SELECT * FROM event_streams WHERE app_id = :app").bind("app", appId)
                .map(MAPPER).findOne();
    }
}
