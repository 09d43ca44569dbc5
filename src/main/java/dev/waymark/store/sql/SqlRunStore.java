package dev.waymark.store.sql;

import dev.waymark.domain.JourneyRun;
import dev.waymark.domain.RunStatus;
import dev.waymark.store.Page;
import dev.waymark.store.PageCursor;
import dev.waymark.store.RunStore;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** Journey runs in a SQL database. */
final class SqlRunStore implements RunStore {
    private static final RowMapper<JourneyRun> MAPPER = (rs, ctx) -> new JourneyRun(
            rs.getString("journey_id"), rs.getString("run_id"), rs.getInt("sequence"),
            RunStatus.valueOf(rs.getString("status")), Instant.ofEpochMilli(rs.getLong("scheduled_ms")),
            Instant.ofEpochMilli(rs.getLong("created_ms")), Instant.ofEpochMilli(rs.getLong("updated_ms")));
    private static final KeysetQuery<JourneyRun> PAGES = new KeysetQuery<>("journey_runs", "run_id", "journey_id",
            MAPPER, run -> PageCursor.of(run.createdAt(), run.runId()));

    private final Jdbi jdbi;

    SqlRunStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void insert(JourneyRun run) {
        jdbi.useHandle(handle -> handle.createUpdate("INSERT INTO journey_runs "
                        + "(run_id, journey_id, sequence, status, scheduled_ms, created_ms, updated_ms) "
                        + "VALUES (:runId, :journeyId, :sequence, :status, :scheduled, :created, :updated)")
                .bind("runId", run.runId()).bind("journeyId", run.journeyId()).bind("sequence", run.sequence())
                .bind("status", run.status().name()).bind("scheduled", run.scheduledAt().toEpochMilli())
                .bind("created", run.createdAt().toEpochMilli()).bind("updated", run.updatedAt().toEpochMilli())
                .execute());
    }

    @Override
    public Page<JourneyRun> list(String journeyId, Optional<PageCursor> after, int limit) {
        return jdbi.withHandle(handle -> PAGES.page(handle, journeyId, after, limit));
    }
}
