package dev.waymark.runs;

import dev.waymark.journeys.Journey;
import dev.waymark.journeys.JourneyRows;
import dev.waymark.journeys.JourneyState;
import dev.waymark.store.PageCursor;
import dev.waymark.store.sql.Dialect;
import dev.waymark.store.sql.DirectReads;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** Journey runs in a SQL database. */
public final class SqlRunStore implements RunStore {
    /** The columns every run query selects, in the order {@link #MAPPER} reads them by position. */
    private static final String COLUMNS =
            "run_id, journey_id, sequence, status, scheduled_ms, created_ms, updated_ms, started_ms";
    // By position, not by name: a page maps 100 rows, and the SQLite driver's lookup of a column by name costs
    // more than reading it.
    private static final RowMapper<JourneyRun> MAPPER = (rs, ctx) -> {
        long started = rs.getLong(8);
        Instant startedAt = rs.wasNull() ? null : Instant.ofEpochMilli(started);
        return new JourneyRun(rs.getString(2), rs.getString(1), rs.getInt(3), RunStatus.valueOf(rs.getString(4)),
                Instant.ofEpochMilli(rs.getLong(5)), Instant.ofEpochMilli(rs.getLong(6)),
                Instant.ofEpochMilli(rs.getLong(7)), startedAt);
    };
    /**
     * A page's status and creation time travel as one integer, {@code created_ms * 8 + status code}: the driver's
     * per-column calls (a native crossing each, and a String for a text) were a large part of a page's CPU.
     */
    private static final int STATUS_CODES = 8;
    private static final RunStatus[] STATUSES = RunStatus.values();
    private static final String READ_PAGE_FIRST_SQLITE = readPageSql(Dialect.SQLITE, false);
    private static final String READ_PAGE_AFTER_SQLITE = readPageSql(Dialect.SQLITE, true);
    private static final String READ_PAGE_FIRST_POSTGRESQL = readPageSql(Dialect.POSTGRESQL, false);
    private static final String READ_PAGE_AFTER_POSTGRESQL = readPageSql(Dialect.POSTGRESQL, true);

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final DirectReads directReads;
    private volatile RunProgress progress = RunProgress.NONE;

    public SqlRunStore(Jdbi jdbi, Dialect dialect, DirectReads directReads) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.directReads = directReads;
    }

    /**
     * GetJourneyRuns in one statement. Its rows: none when the app does not exist; one with a NULL journey when the
     * journey is not in the app; else the page of runs, or one row with NULL run columns when there is none.
     * SQLite walks the app and the journey as one-row loops and the runs in index order, so it seeks
     * the covering {@code journey_runs_page} and never sorts or reads the table (pinned by {@code SqlRunStoreTest}).
     * PostgreSQL cannot take the order of a join's inner side, so it reads the page with its own LIMIT first and
     * sorts those rows only. Parameters, in order: the journey, the cursor's creation time and run id (with
     * {@code afterCursor}), the limit (PostgreSQL only), the app, the limit.
     */
    static String readPageSql(Dialect dialect, boolean afterCursor) {
        String after = afterCursor ? " AND (r.created_ms, r.run_id) > (?, ?)" : "";
        String runs = dialect == Dialect.SQLITE ? "journey_runs r ON r.journey_id = j.id" + after
                : "LATERAL (SELECT run_id, status, created_ms, updated_ms FROM journey_runs r WHERE r.journey_id = j.id"
                        + after + " ORDER BY created_ms, run_id LIMIT ?) r ON TRUE";
        return "SELECT j.id, r.run_id, r.created_ms * " + STATUS_CODES + " + " + statusCode("r.status")
                + ", r.updated_ms FROM apps a "
                + "LEFT JOIN journeys j ON j.id = ? AND j.app_id = a.id LEFT JOIN " + runs
                + " WHERE a.id = ? ORDER BY r.created_ms, r.run_id LIMIT ?";
    }

    /** SQL of the code of a status: its ordinal in {@link RunStatus}, or {@code STATUS_CODES - 1} if unknown. */
    static String statusCode(String column) {
        StringBuilder sql = new StringBuilder("CASE ").append(column);
        for (RunStatus status : STATUSES) {
            sql.append(" WHEN '").append(status.name()).append("' THEN ").append(status.ordinal());
        }
        return sql.append(" ELSE ").append(STATUS_CODES - 1).append(" END").toString();
    }

    /** The status of a code of {@link #statusCode}. */
    private static RunStatus status(long packed) {
        int code = (int) Math.floorMod(packed, (long) STATUS_CODES);
        if (code >= STATUSES.length) {
            throw new IllegalStateException("a run in the store has a status GetJourneyRuns does not know");
        }
        return STATUSES[code];
    }

    /** The engine's progress, read by every reconcile from now on. */
    public void progress(RunProgress engine) {
        this.progress = engine;
    }

    @Override
    public RunPageRead readPage(String appId, String journeyId, Optional<PageCursor> after, int limit, RunRows rows) {
        boolean sqlite = dialect == Dialect.SQLITE;
        String sql = sqlite
                ? (after.isPresent() ? READ_PAGE_AFTER_SQLITE : READ_PAGE_FIRST_SQLITE)
                : (after.isPresent() ? READ_PAGE_AFTER_POSTGRESQL : READ_PAGE_FIRST_POSTGRESQL);
        return directReads.query(sql, statement -> setPageParameters(statement, dialect, appId, journeyId, after, limit),
                results -> readPage(results, limit, rows, sqlite));
    }

    /** Sets the parameters of {@link #readPageSql} in their order, for a page of {@code limit} runs. */
    static void setPageParameters(PreparedStatement statement, Dialect dialect, String appId, String journeyId,
                                  Optional<PageCursor> after, int limit) throws SQLException {
        int parameter = 1;
        statement.setString(parameter++, journeyId);
        if (after.isPresent()) {
            statement.setLong(parameter++, after.get().position());
            statement.setString(parameter++, after.get().id());
        }
        if (dialect != Dialect.SQLITE) {
            statement.setInt(parameter++, limit + 1);
        }
        statement.setString(parameter++, appId);
        statement.setInt(parameter, limit + 1);
    }

    /**
     * Reads the rows of {@link #readPageSql}: the runs go to {@code rows}, up to {@code limit} of them. With
     * {@code bytes} (SQLite) run ids are read as their UTF-8 bytes, and a String is made only for the cursor.
     */
    private static RunPageRead readPage(ResultSet results, int limit, RunRows rows, boolean bytes) throws SQLException {
        if (!results.next()) {
            return new RunPageRead(RunPageRead.Found.NOTHING, Optional.empty(), Optional.empty());
        }
        if (results.getString(1) == null) {
            return new RunPageRead(RunPageRead.Found.APP_ONLY, Optional.empty(), Optional.empty());
        }
        int count = 0;
        Object lastId = null;
        long lastCreated = 0;
        do {
            Object runId = bytes ? results.getBytes(2) : results.getString(2);
            if (runId == null) {
                break;
            }
            long packed = results.getLong(3);
            RunStatus status = status(packed);
            if (count == limit) {
                return new RunPageRead(RunPageRead.Found.JOURNEY, Optional.of(new PageCursor(lastCreated, text(lastId))),
                        Optional.of(status));
            }
            lastId = runId;
            lastCreated = Math.floorDiv(packed, (long) STATUS_CODES);
            if (bytes) {
                rows.runUtf8((byte[]) runId, status, lastCreated, results.getLong(4));
            } else {
                rows.run((String) runId, status, lastCreated, results.getLong(4));
            }
            count++;
        } while (results.next());
        return new RunPageRead(RunPageRead.Found.JOURNEY, Optional.empty(), Optional.empty());
    }

    private static String text(Object runId) {
        return runId instanceof byte[] utf8 ? new String(utf8, java.nio.charset.StandardCharsets.UTF_8) : (String) runId;
    }

    @Override
    public Optional<JourneyRun> find(String journeyId, String runId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS
                        + " FROM journey_runs WHERE run_id = :run AND journey_id = :journey")
                .bind("run", runId).bind("journey", journeyId).map(MAPPER).findOne());
    }

    @Override
    public Optional<RunPlan> reconcile(String journeyId, Function<RunsOfJourney, RunPlan> planner) {
        return jdbi.inTransaction(handle -> {
            Optional<Journey> journey = JourneyRows.lock(handle, dialect, journeyId);
            if (journey.isEmpty()) {
                return Optional.empty();
            }
            RunsOfJourney runs = new RunsOfJourney(journey.get(),
                    handle.createQuery("SELECT " + COLUMNS
                                    + " FROM journey_runs WHERE journey_id = :id AND sequence = 1")
                            .bind("id", journeyId).map(MAPPER).findOne(),
                    handle.createQuery("SELECT " + COLUMNS + " FROM journey_runs WHERE journey_id = :id "
                                    + "AND status IN ('SCHEDULED', 'RUNNING') ORDER BY sequence")
                            .bind("id", journeyId).map(MAPPER).list(),
                    progress.unfinishedEntries(handle, journeyId), progress.hasParticipants(handle, journeyId));
            RunPlan plan = planner.apply(runs);
            apply(handle, journey.get(), plan);
            return Optional.of(plan);
        });
    }

    @Override
    public boolean park(String journeyId, Instant at) {
        return jdbi.withHandle(handle -> handle.createUpdate("UPDATE journeys SET parked_ms = :at WHERE id = :id")
                .bind("at", at.toEpochMilli()).bind("id", journeyId).execute()) == 1;
    }

    @Override
    public int parkedCount() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM journeys WHERE parked_ms IS NOT NULL")
                .mapTo(Integer.class).one());
    }

    @Override
    public List<Wake> due(Instant now, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT id, next_wake_ms FROM journeys "
                        + "WHERE next_wake_ms <= :now AND parked_ms IS NULL ORDER BY next_wake_ms LIMIT :limit")
                .bind("now", now.toEpochMilli()).bind("limit", limit)
                .map((rs, ctx) -> new Wake(rs.getString("id"), Instant.ofEpochMilli(rs.getLong("next_wake_ms"))))
                .list());
    }

    private static void apply(Handle handle, Journey journey, RunPlan plan) {
        for (RunChange change : plan.changes()) {
            if (change instanceof RunChange.Create create) {
                insert(handle, create.run());
            } else if (change instanceof RunChange.ChangeStatus status) {
                int updated = handle.createUpdate("UPDATE journey_runs SET status = :to, updated_ms = :at, "
                                + "started_ms = CASE WHEN :to = 'RUNNING' THEN :at ELSE started_ms END "
                                + "WHERE run_id = :id AND status = :from")
                        .bind("to", status.to().name()).bind("at", status.at().toEpochMilli())
                        .bind("id", status.run().runId()).bind("from", status.run().status().name())
                        .execute();
                requireOne(updated, change);
            } else if (change instanceof RunChange.Reschedule reschedule) {
                requireOne(handle.createUpdate("UPDATE journey_runs SET scheduled_ms = :at "
                                + "WHERE run_id = :id AND status = 'SCHEDULED'")
                        .bind("at", reschedule.to().toEpochMilli()).bind("id", reschedule.run().runId()).execute(),
                        change);
            } else if (change instanceof RunChange.Withdraw withdraw) {
                requireOne(handle.createUpdate("DELETE FROM journey_runs WHERE run_id = :id AND status = 'SCHEDULED'")
                        .bind("id", withdraw.run().runId()).execute(), change);
            }
        }
        Long wake = plan.nextWake().map(Instant::toEpochMilli).orElse(null);
        if (plan.journeyState().isPresent()) {
            JourneyState state = plan.journeyState().get();
            handle.createUpdate("UPDATE journeys SET state = :state, modified_ms = :now, version = version + 1, "
                            + "next_wake_ms = :wake WHERE id = :id")
                    .bind("state", state.name()).bind("now", plan.at().toEpochMilli())
                    .bind("wake", wake).bind("id", journey.id()).execute();
        } else {
            handle.createUpdate("UPDATE journeys SET next_wake_ms = :wake WHERE id = :id")
                    .bind("wake", wake).bind("id", journey.id()).execute();
        }
    }

    /** The plan was made inside this transaction, so a change that touches no row is a bug, not a race. */
    private static void requireOne(int updated, RunChange change) {
        if (updated != 1) {
            throw new IllegalStateException("run change applied to " + updated + " rows: " + change);
        }
    }

    static void insert(Handle handle, JourneyRun run) {
        handle.createUpdate("INSERT INTO journey_runs "
                        + "(run_id, journey_id, sequence, status, scheduled_ms, created_ms, updated_ms, started_ms) "
                        + "VALUES (:runId, :journeyId, :sequence, :status, :scheduled, :created, :updated, :started)")
                .bind("runId", run.runId()).bind("journeyId", run.journeyId()).bind("sequence", run.sequence())
                .bind("status", run.status().name()).bind("scheduled", run.scheduledAt().toEpochMilli())
                .bind("created", run.createdAt().toEpochMilli()).bind("updated", run.updatedAt().toEpochMilli())
                .bind("started", run.startedAt() == null ? null : run.startedAt().toEpochMilli())
                .execute();
    }
}
