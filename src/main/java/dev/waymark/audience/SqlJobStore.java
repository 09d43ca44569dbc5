package dev.waymark.audience;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.store.Page;
import dev.waymark.store.PageCursor;
import dev.waymark.wire.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

/**
 * Import and export jobs in the SQL store, and the members of the IMPORT segments they define. Every change a worker
 * makes to a job is fenced by its lease: it applies only while the row still names that worker as its owner.
 */
final class SqlJobStore {
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final String COLUMNS = "id, app_id, kind, segment_id, definition, status, created_ms, completed_ms, "
            + "total_pieces, completed_pieces, failed_pieces, total_processed, total_failures, failures, pieces, "
            + "piece_index, piece_records";

    private final Jdbi jdbi;

    SqlJobStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    Jdbi jdbi() {
        return jdbi;
    }

    void insert(Job job) {
        jdbi.useHandle(handle -> handle.createUpdate("INSERT INTO audience_jobs (" + COLUMNS + ") VALUES (:id, :app, "
                        + ":kind, :segment, :definition, :status, :created, NULL, 0, 0, 0, 0, 0, '[]', NULL, 0, 0)")
                .bind("id", job.id()).bind("app", job.appId()).bind("kind", job.kind().name())
                .bind("segment", job.segmentId().orElse(null)).bind("definition", job.definition().toString())
                .bind("status", job.status()).bind("created", job.created().toEpochMilli()).execute());
    }

    Optional<Job> find(String appId, Job.Kind kind, String id) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS
                        + " FROM audience_jobs WHERE id = :id AND app_id = :app AND kind = :kind")
                .bind("id", id).bind("app", appId).bind("kind", kind.name())
                .map((rs, ctx) -> read(rs)).findOne());
    }

    /** One page of an app's jobs of a kind (of one segment when {@code segmentId} is not null), oldest first. */
    Page<Job> page(String appId, Job.Kind kind, String segmentId, Optional<PageCursor> after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS)
                .append(" FROM audience_jobs WHERE app_id = :app AND kind = :kind");
        if (segmentId != null) {
            sql.append(" AND segment_id = :segment");
        }
        if (after.isPresent()) {
            sql.append(" AND (created_ms, id) > (:afterPosition, :afterId)");
        }
        sql.append(" ORDER BY created_ms, id LIMIT :limit");
        List<Job> rows = jdbi.withHandle(handle -> {
            Query query = handle.createQuery(sql.toString()).bind("app", appId).bind("kind", kind.name())
                    .bind("limit", limit + 1);
            if (segmentId != null) {
                query.bind("segment", segmentId);
            }
            after.ifPresent(cursor -> query.bind("afterPosition", cursor.position()).bind("afterId", cursor.id()));
            return query.map((rs, ctx) -> read(rs)).list();
        });
        return Page.of(rows, limit, job -> new PageCursor(job.created().toEpochMilli(), job.id()));
    }

    /**
     * The members of an IMPORT segment counted by their endpoint's ChannelType, in one query; members whose endpoint
     * is not registered (RegisterEndpoints false, or deleted since) count under the key null.
     */
    Map<String, Long> countMembers(String appId, String segmentId) {
        Map<String, Long> counts = new HashMap<>();
        jdbi.useHandle(handle -> handle.createQuery("SELECT e.channel_type, count(*) FROM import_segment_members m "
                        + "LEFT JOIN endpoints e ON e.app_id = m.app_id AND e.id_key = m.endpoint_key "
                        + "WHERE m.app_id = :app AND m.segment_id = :segment GROUP BY e.channel_type")
                .bind("app", appId).bind("segment", segmentId)
                .map((rs, ctx) -> counts.put(rs.getString(1), rs.getLong(2))).list());
        return counts;
    }

    /**
     * Takes an unfinished job whose lease has run out (or that nobody holds) for {@code owner} until {@code until};
     * a compare-and-set, so two nodes never both take the same job.
     */
    Optional<Job> claim(String owner, long now, long until) {
        return jdbi.withHandle(handle -> {
            List<String> candidates = handle.createQuery("SELECT id FROM audience_jobs WHERE completed_ms IS NULL "
                            + "AND (lease_until_ms IS NULL OR lease_until_ms < :now) ORDER BY lease_until_ms LIMIT 8")
                    .bind("now", now).mapTo(String.class).list();
            for (String id : candidates) {
                int taken = handle.createUpdate("UPDATE audience_jobs SET lease_owner = :owner, lease_until_ms = :until "
                                + "WHERE id = :id AND completed_ms IS NULL "
                                + "AND (lease_until_ms IS NULL OR lease_until_ms < :now)")
                        .bind("owner", owner).bind("until", until).bind("id", id).bind("now", now).execute();
                if (taken == 1) {
                    return handle.createQuery("SELECT " + COLUMNS + " FROM audience_jobs WHERE id = :id")
                            .bind("id", id).map((rs, ctx) -> read(rs)).findOne();
                }
            }
            return Optional.empty();
        });
    }

    /** Lets go of a job at once, so that the next poll of any node takes it up again. */
    void release(String id, String owner) {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE audience_jobs SET lease_until_ms = NULL "
                + "WHERE id = :id AND lease_owner = :owner").bind("id", id).bind("owner", owner).execute());
    }

    /**
     * Writes the job's progress and renews the lease, in the caller's transaction; false when another node holds the
     * job now (the caller must then roll back and stop).
     */
    boolean save(Handle handle, Job job, String owner, long until) {
        return handle.createUpdate("UPDATE audience_jobs SET status = :status, completed_ms = :completed, "
                        + "total_pieces = :totalPieces, completed_pieces = :completedPieces, failed_pieces = :failedPieces, "
                        + "total_processed = :processed, total_failures = :failures, failures = :failureList, "
                        + "pieces = :pieces, piece_index = :pieceIndex, piece_records = :pieceRecords, "
                        + "lease_until_ms = :until WHERE id = :id AND lease_owner = :owner")
                .bind("status", job.status()).bind("completed", job.completed().map(Instant::toEpochMilli).orElse(null))
                .bind("totalPieces", job.totalPieces()).bind("completedPieces", job.completedPieces())
                .bind("failedPieces", job.failedPieces()).bind("processed", job.totalProcessed())
                .bind("failures", job.totalFailures()).bind("failureList", json(job.failures()))
                .bind("pieces", job.pieces().map(SqlJobStore::json).orElse(null))
                .bind("pieceIndex", job.pieceIndex()).bind("pieceRecords", job.pieceRecords())
                .bind("until", until).bind("id", job.id()).bind("owner", owner).execute() == 1;
    }

    /** Adds endpoints (by stored key) to an IMPORT segment, in the caller's transaction; members already in stay. */
    void addMembers(Handle handle, String appId, String segmentId, Collection<String> endpointKeys) {
        if (endpointKeys.isEmpty()) {
            return;
        }
        PreparedBatch batch = handle.prepareBatch("INSERT INTO import_segment_members (app_id, segment_id, endpoint_key) "
                + "VALUES (:app, :segment, :key) ON CONFLICT DO NOTHING");
        for (String key : endpointKeys) {
            batch.bind("app", appId).bind("segment", segmentId).bind("key", key).add();
        }
        batch.execute();
    }

    private static Job read(ResultSet rs) throws SQLException {
        long completed = rs.getLong("completed_ms");
        boolean done = !rs.wasNull();
        String pieces = rs.getString("pieces");
        try {
            return new Job(rs.getString("id"), rs.getString("app_id"), Job.Kind.valueOf(rs.getString("kind")),
                    Optional.ofNullable(rs.getString("segment_id")),
                    (ObjectNode) Json.parseStored(rs.getString("definition")), rs.getString("status"),
                    Instant.ofEpochMilli(rs.getLong("created_ms")),
                    done ? Optional.of(Instant.ofEpochMilli(completed)) : Optional.empty(),
                    rs.getInt("total_pieces"), rs.getInt("completed_pieces"), rs.getInt("failed_pieces"),
                    rs.getLong("total_processed"), rs.getLong("total_failures"),
                    Json.MAPPER.readValue(rs.getString("failures"), STRINGS),
                    pieces == null ? Optional.empty() : Optional.of(Json.MAPPER.readValue(pieces, STRINGS)),
                    rs.getInt("piece_index"), rs.getLong("piece_records"));
        } catch (IOException e) {
            throw new UncheckedIOException("a stored job does not read", e);
        }
    }

    private static String json(List<String> values) {
        return new String(Json.write(values), java.nio.charset.StandardCharsets.UTF_8);
    }
}
