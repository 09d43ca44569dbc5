package dev.waymark.journeys;

import dev.waymark.store.sql.Dialect;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Rows of the journeys table as journeys: read by the journeys' store, and locked by the runs' store, which plans a
 * journey's runs inside a transaction that holds the journey's row.
 */
public final class JourneyRows {
    static final RowMapper<Journey> MAPPER = (rs, ctx) -> new Journey(
            rs.getString("app_id"), rs.getString("id"), rs.getString("name"),
            JourneyState.valueOf(rs.getString("state")), rs.getString("definition"),
            Instant.ofEpochMilli(rs.getLong("created_ms")), Instant.ofEpochMilli(rs.getLong("modified_ms")),
            rs.getLong("version"));

    private JourneyRows() {}

    /**
     * The journey, its row locked until the transaction ends (on PostgreSQL; SQLite's transactions already exclude
     * every other writer); empty when it is gone. The journey row is the first lock of a run change (lock order:
     * SqlAppStore). A planner changes no key of the row, so the lock is FOR NO KEY UPDATE: it does not wait for the
     * engine's transactions, whose participant rows hold a key-share lock on their journey through the foreign key.
     */
    public static Optional<Journey> lock(Handle handle, Dialect dialect, String journeyId) {
        String suffix = dialect.lockRowSuffix().replace("FOR UPDATE", "FOR NO KEY UPDATE");
        return handle.createQuery("SELECT * FROM journeys WHERE id = :id" + suffix)
                .bind("id", journeyId).map(MAPPER).findOne();
    }
}
