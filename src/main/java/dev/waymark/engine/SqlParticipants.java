package dev.waymark.engine;

import dev.waymark.engine.Participant.Phase;
import dev.waymark.store.sql.Dialect;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;

/** The participants table (V18): every statement the engine runs on it, inside its callers' transactions. */
final class SqlParticipants {
    static final String COLUMNS = "app_id, journey_id, endpoint_key, endpoint_id, entries, run_id, activity_id, phase, "
            + "due_ms, arrived_ms, entered_ms, messages, finished_ms";
    /**
     * Due participants of a journey PAUSED or CANCELLED but not yet frozen or removed by the state sync are not
     * claimed: a worker leaves them to the sync, and must not take the same rows again and again meanwhile (a full
     * batch of them would keep every other journey's participants waiting).
     */
    private static final String MOVING = " AND NOT EXISTS (SELECT 1 FROM journeys j WHERE j.id = "
            + "participants.journey_id AND j.state IN ('PAUSED', 'CANCELLED'))";
    /** Counts of a journey's participants still in it, per run: (run, entered or not) → how many. */
    record RunCount(String runId, boolean entered, long count) {}

    private final Dialect dialect;

    SqlParticipants(Dialect dialect) {
        this.dialect = dialect;
    }

    static Participant read(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Participant(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                rs.getString(6), Optional.ofNullable(rs.getString(7)), Phase.valueOf(rs.getString(8)),
                instant(rs, 9), Instant.ofEpochMilli(rs.getLong(10)), Instant.ofEpochMilli(rs.getLong(11)),
                rs.getInt(12), instant(rs, 13));
    }

    private static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(value));
    }

    /**
     * Up to {@code limit} participants due at {@code now}, earliest first, locked for this transaction: on PostgreSQL
     * with SKIP LOCKED, so that every node takes a different batch; SQLite has one writer at a time anyway.
     */
    List<Participant> claimDue(Handle handle, Instant now, int limit) {
        String lock = dialect.skipLockedPolling() ? " FOR UPDATE SKIP LOCKED" : "";
        return handle.createQuery("SELECT " + COLUMNS + " FROM participants WHERE due_ms <= :now" + MOVING
                        + " ORDER BY due_ms LIMIT :limit" + lock)
                .bind("now", now.toEpochMilli()).bind("limit", limit).map(SqlParticipants::read).list();
    }

    /** Whether any participant is due at {@code now} (read without a transaction, before claiming). */
    boolean anyDue(Handle handle, Instant now) {
        return handle.createQuery("SELECT 1 FROM participants WHERE due_ms <= :now" + MOVING + " LIMIT 1")
                .bind("now", now.toEpochMilli()).mapTo(Integer.class).findOne().isPresent();
    }

    /** The rows of these endpoints (keys) in the journey, entered or not, by key. */
    Map<String, Participant> find(Handle handle, String appId, String journeyId, Collection<String> keys) {
        Map<String, Participant> found = new HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        handle.createQuery("SELECT " + COLUMNS + " FROM participants WHERE app_id = :app AND journey_id = :journey "
                        + "AND endpoint_key IN (<keys>)" + (dialect.skipLockedPolling() ? " FOR UPDATE" : ""))
                .bind("app", appId).bind("journey", journeyId).bindList("keys", List.copyOf(keys))
                .map(SqlParticipants::read).forEach(participant -> found.put(participant.endpointKey(), participant));
        return found;
    }

    /** Writes each participant's row as it is now, inserting the new ones. */
    void save(Handle handle, Collection<Participant> participants) {
        if (participants.isEmpty()) {
            return;
        }
        PreparedBatch batch = handle.prepareBatch("INSERT INTO participants (" + COLUMNS + ") VALUES (:app, :journey, "
                + ":key, :id, :entries, :run, :activity, :phase, :due, :arrived, :entered, :messages, :finished) "
                + "ON CONFLICT (app_id, journey_id, endpoint_key) DO UPDATE SET endpoint_id = excluded.endpoint_id, "
                + "entries = excluded.entries, run_id = excluded.run_id, activity_id = excluded.activity_id, "
                + "phase = excluded.phase, due_ms = excluded.due_ms, paused_left_ms = NULL, "
                + "arrived_ms = excluded.arrived_ms, entered_ms = excluded.entered_ms, messages = excluded.messages, "
                + "finished_ms = excluded.finished_ms");
        for (Participant p : participants) {
            batch.bind("app", p.appId()).bind("journey", p.journeyId()).bind("key", p.endpointKey())
                    .bind("id", p.endpointId()).bind("entries", p.entries()).bind("run", p.runId())
                    .bind("activity", p.activityId().orElse(null)).bind("phase", p.phase().name())
                    .bind("due", p.due().map(Instant::toEpochMilli).orElse(null))
                    .bind("arrived", p.arrivedAt().toEpochMilli()).bind("entered", p.enteredAt().toEpochMilli())
                    .bind("messages", p.messages())
                    .bind("finished", p.finishedAt().map(Instant::toEpochMilli).orElse(null)).add();
        }
        batch.execute();
    }

    /**
     * Inserts a participant that had no row in its journey; false when a row appeared meanwhile (another
     * transaction's, committed: PostgreSQL waits for it), and then nothing is written.
     */
    boolean insertNew(Handle handle, Participant p) {
        return handle.createUpdate("INSERT INTO participants (" + COLUMNS + ") VALUES (:app, :journey, :key, :id, "
                        + ":entries, :run, :activity, :phase, :due, :arrived, :entered, :messages, :finished) "
                        + "ON CONFLICT (app_id, journey_id, endpoint_key) DO NOTHING")
                .bind("app", p.appId()).bind("journey", p.journeyId()).bind("key", p.endpointKey())
                .bind("id", p.endpointId()).bind("entries", p.entries()).bind("run", p.runId())
                .bind("activity", p.activityId().orElse(null)).bind("phase", p.phase().name())
                .bind("due", p.due().map(Instant::toEpochMilli).orElse(null))
                .bind("arrived", p.arrivedAt().toEpochMilli()).bind("entered", p.enteredAt().toEpochMilli())
                .bind("messages", p.messages())
                .bind("finished", p.finishedAt().map(Instant::toEpochMilli).orElse(null)).execute() == 1;
    }

    /** PAUSED: every waiting participant of the journey keeps the time it had left and is due no more. */
    int freeze(Handle handle, String journeyId, Instant now) {
        return handle.createUpdate("UPDATE participants SET paused_left_ms = CASE WHEN due_ms > :now THEN due_ms - :now "
                        + "ELSE 0 END, due_ms = NULL WHERE journey_id = :journey AND finished_ms IS NULL "
                        + "AND due_ms IS NOT NULL")
                .bind("now", now.toEpochMilli()).bind("journey", journeyId).execute();
    }

    /** Resumed: every frozen participant is due again after the time it had left. */
    int thaw(Handle handle, String journeyId, Instant now) {
        return handle.createUpdate("UPDATE participants SET due_ms = :now + paused_left_ms, paused_left_ms = NULL "
                        + "WHERE journey_id = :journey AND finished_ms IS NULL AND paused_left_ms IS NOT NULL")
                .bind("now", now.toEpochMilli()).bind("journey", journeyId).execute();
    }

    /** The journey's participants still in it, counted per run and by whether they have entered yet. */
    List<RunCount> activeCounts(Handle handle, String journeyId) {
        return handle.createQuery("SELECT run_id, CASE WHEN phase = 'ENTERING' THEN 0 ELSE 1 END, COUNT(*) "
                        + "FROM participants WHERE journey_id = :journey AND finished_ms IS NULL GROUP BY run_id, "
                        + "CASE WHEN phase = 'ENTERING' THEN 0 ELSE 1 END")
                .bind("journey", journeyId)
                .map((rs, ctx) -> new RunCount(rs.getString(1), rs.getInt(2) == 1, rs.getLong(3))).list();
    }

    /** CANCELLED: every participant still in the journey leaves now; how many. */
    int finishAll(Handle handle, String journeyId, Instant now) {
        return handle.createUpdate("UPDATE participants SET phase = 'FINISHED', due_ms = NULL, paused_left_ms = NULL, "
                        + "finished_ms = :now WHERE journey_id = :journey AND finished_ms IS NULL")
                .bind("now", now.toEpochMilli()).bind("journey", journeyId).execute();
    }

    boolean hasActive(Handle handle, String journeyId) {
        return handle.createQuery("SELECT 1 FROM participants WHERE journey_id = :journey AND finished_ms IS NULL "
                + "LIMIT 1").bind("journey", journeyId).mapTo(Integer.class).findOne().isPresent();
    }

    /** Runs of the journey with participants still waiting for their local start time. */
    Set<String> runsEntering(Handle handle, String journeyId) {
        return new LinkedHashSet<>(handle.createQuery("SELECT DISTINCT run_id FROM participants WHERE journey_id = "
                        + ":journey AND finished_ms IS NULL AND phase = 'ENTERING'")
                .bind("journey", journeyId).mapTo(String.class).list());
    }

    /** Whether the run has participants still waiting for their local start time. */
    boolean entering(Handle handle, String runId) {
        return handle.createQuery("SELECT 1 FROM participants WHERE run_id = :run AND phase = 'ENTERING' LIMIT 1")
                .bind("run", runId).mapTo(Integer.class).findOne().isPresent();
    }

    /**
     * The participations of these endpoints still in progress, in every journey of the app (DeleteEndpoint), locked
     * on PostgreSQL: a worker's batch that holds one commits first, and the row is read (and left out when finished)
     * as that batch left it, so that a participant the batch moved out does not leave a second time.
     */
    List<Participant> ofEndpoints(Handle handle, String appId, Collection<String> keys) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM participants WHERE app_id = :app AND endpoint_key IN "
                        + "(<keys>) AND finished_ms IS NULL ORDER BY journey_id, endpoint_key"
                        + (dialect.skipLockedPolling() ? " FOR UPDATE" : ""))
                .bind("app", appId).bindList("keys", List.copyOf(keys)).map(SqlParticipants::read).list();
    }

    /**
     * Deletes up to {@code limit} rows finished before {@code cutoff} of journeys that admit nobody any more (neither
     * ACTIVE nor PAUSED): they can no longer refuse an entry. The number deleted.
     */
    int pruneNotAdmitting(Handle handle, Instant cutoff, int limit) {
        return handle.createUpdate("DELETE FROM participants WHERE (app_id, journey_id, endpoint_key) IN (SELECT "
                        + "p.app_id, p.journey_id, p.endpoint_key FROM participants p WHERE p.finished_ms < :cutoff AND "
                        + "NOT EXISTS (SELECT 1 FROM journeys j WHERE j.id = p.journey_id AND j.state IN ('ACTIVE', "
                        + "'PAUSED')) LIMIT :limit)")
                .bind("cutoff", cutoff.toEpochMilli()).bind("limit", limit).execute();
    }

    /**
     * Deletes up to {@code limit} rows finished before {@code cutoff} of these journeys (admitting ones without
     * EndpointReentryCap, EndpointReentryInterval or TotalCap, whose ledger no longer matters). The number deleted.
     */
    int pruneOf(Handle handle, Instant cutoff, Collection<String> journeyIds, int limit) {
        return handle.createUpdate("DELETE FROM participants WHERE (app_id, journey_id, endpoint_key) IN (SELECT "
                        + "app_id, journey_id, endpoint_key FROM participants WHERE finished_ms < :cutoff AND "
                        + "journey_id IN (<journeys>) LIMIT :limit)")
                .bind("cutoff", cutoff.toEpochMilli()).bindList("journeys", List.copyOf(journeyIds))
                .bind("limit", limit).execute();
    }

    /** Participants by phase, over every journey (for /metrics). */
    Map<String, Long> countByPhase(Handle handle) {
        Map<String, Long> counts = new HashMap<>();
        handle.createQuery("SELECT phase, COUNT(*) FROM participants WHERE finished_ms IS NULL GROUP BY phase")
                .map((rs, ctx) -> counts.put(rs.getString(1), rs.getLong(2))).forEach(row -> { });
        return counts;
    }

    /** The earliest due time of a participant, if any (for the step lag). */
    Optional<Instant> earliestDue(Handle handle) {
        return handle.createQuery("SELECT MIN(due_ms) FROM participants WHERE due_ms IS NOT NULL")
                .mapTo(Long.class).findOne().map(Instant::ofEpochMilli);
    }
}
