package dev.waymark.runs;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Puts runs straight into a store's table, for tests that need a history the scheduler would take long to make, and
 * reads them back. Production code creates runs only through the planner; the store's interface has no way to
 * insert one.
 */
public final class StoredRuns {
    private StoredRuns() {}

    /** Inserts the runs in one transaction through the store's JDBC URL (the server may be running on it). */
    public static void insert(String jdbcUrl, List<JourneyRun> runs) {
        try (Connection db = DriverManager.getConnection(jdbcUrl)) {
            db.setAutoCommit(false);
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO journey_runs (run_id, journey_id, "
                    + "sequence, status, scheduled_ms, created_ms, updated_ms, started_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (JourneyRun run : runs) {
                    insert.setString(1, run.runId());
                    insert.setString(2, run.journeyId());
                    insert.setInt(3, run.sequence());
                    insert.setString(4, run.status().name());
                    insert.setLong(5, run.scheduledAt().toEpochMilli());
                    insert.setLong(6, run.createdAt().toEpochMilli());
                    insert.setLong(7, run.updatedAt().toEpochMilli());
                    if (run.startedAt() == null) {
                        insert.setNull(8, Types.BIGINT);
                    } else {
                        insert.setLong(8, run.startedAt().toEpochMilli());
                    }
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            db.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** A run as GetJourneyRuns shows it. */
    public record Row(String runId, RunStatus status, Instant createdAt, Instant updatedAt) {
        public static Row of(JourneyRun run) {
            return new Row(run.runId(), run.status(), run.createdAt(), run.updatedAt());
        }
    }

    /** The first {@code limit} runs of a journey, read as GetJourneyRuns reads them. */
    public static List<Row> read(RunStore runs, String appId, String journeyId, int limit) {
        List<Row> read = new ArrayList<>();
        runs.readPage(appId, journeyId, Optional.empty(), limit, (runId, status, created, updated) ->
                read.add(new Row(runId, status, Instant.ofEpochMilli(created), Instant.ofEpochMilli(updated))));
        return read;
    }

    public static void insert(String jdbcUrl, JourneyRun... runs) {
        insert(jdbcUrl, List.of(runs));
    }
}
