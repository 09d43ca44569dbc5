package dev.waymark.segments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.rules.RuleConflict;
import dev.waymark.rules.RuleViolation;
import dev.waymark.store.Page;
import dev.waymark.store.PageCursor;
import dev.waymark.store.sql.Dialect;
import dev.waymark.store.sql.KeysetQuery;
import dev.waymark.store.sql.Positioned;
import dev.waymark.tags.TagRows;
import dev.waymark.wire.Arns;
import dev.waymark.wire.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

/**
 * Segments and their versions in a SQL database. Lock order as in SqlAppStore: an app's row (creating), then a
 * segment's row (updating, deleting, counting an import), then its versions and tags.
 */
public final class SqlSegmentStore implements SegmentStore {
    /** Segments one app may hold. */
    static final int MAX_SEGMENTS_PER_APP = 10_000;
    /** Versions one segment may have: an UpdateSegment past it is refused. */
    static final int MAX_VERSIONS = 10_000;

    private static final String COLUMNS = "s.app_id, s.id, s.type, s.created_ms, v.version, v.definition, v.modified_ms";
    private static final RowMapper<StoredSegment> MAPPER = (rs, ctx) -> new StoredSegment(rs.getString("app_id"),
            rs.getString("id"), rs.getInt("version"), rs.getString("type"),
            (ObjectNode) Json.parseStored(rs.getString("definition")), Instant.ofEpochMilli(rs.getLong("created_ms")),
            Instant.ofEpochMilli(rs.getLong("modified_ms")));
    private static final KeysetQuery<Positioned<StoredSegment>> LATEST = new KeysetQuery<>(
            "segments s JOIN segment_versions v ON v.app_id = s.app_id AND v.segment_id = s.id "
                    + "AND v.version = s.latest_version", "s.seq", COLUMNS + ", s.seq", "s.id", "s.app_id",
            (rs, ctx) -> new Positioned<>(MAPPER.map(rs, ctx), rs.getLong("seq"), rs.getString("id")),
            Positioned::cursor);

    private final Jdbi jdbi;
    private final Dialect dialect;

    public SqlSegmentStore(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
    }

    /** A segment id the app already has, when a caller chose the id (an import job's SegmentId). */
    static final class DuplicateSegment extends RuntimeException {
        DuplicateSegment() {
            super(null, null, false, false);
        }
    }

    @Override
    public boolean create(StoredSegment first) {
        return create(first, Map.of());
    }

    /**
     * Stores version 1 of a new segment with its tags; false when the app no longer exists, DuplicateSegment when it
     * has a segment of that id, RuleViolation when it has as many segments as it may.
     */
    boolean create(StoredSegment first, Map<String, String> tags) {
        return jdbi.inTransaction(handle -> {
            // The app's row lock until commit: a DeleteApp waits for this insert or this insert finds no app, and
            // the count below sees every other creation of the app.
            if (handle.createUpdate("UPDATE apps SET last_segment_seq = last_segment_seq + 1 WHERE id = :app")
                    .bind("app", first.appId()).execute() == 0) {
                return false;
            }
            if (handle.createQuery("SELECT 1 FROM segments WHERE app_id = :app AND id = :id")
                    .bind("app", first.appId()).bind("id", first.id()).mapTo(Integer.class).findOne().isPresent()) {
                throw new DuplicateSegment();
            }
            long count = handle.createQuery("SELECT count(*) FROM segments WHERE app_id = :app")
                    .bind("app", first.appId()).mapTo(Long.class).one();
            if (count >= MAX_SEGMENTS_PER_APP) {
                throw new RuleViolation("An application can have at most " + MAX_SEGMENTS_PER_APP
                        + " segments; delete one first");
            }
            long position = handle.createQuery("SELECT last_segment_seq FROM apps WHERE id = :app")
                    .bind("app", first.appId()).mapTo(Long.class).one();
            handle.createUpdate("INSERT INTO segments (app_id, id, type, latest_version, created_ms, seq) "
                            + "VALUES (:app, :id, :type, 1, :created, :seq)")
                    .bind("app", first.appId()).bind("id", first.id()).bind("type", first.type())
                    .bind("created", first.created().toEpochMilli()).bind("seq", position).execute();
            insertVersion(handle, first);
            TagRows.put(handle, Arns.segmentTagId(first.appId(), first.id()), tags);
            return true;
        });
    }

    @Override
    public Optional<StoredSegment> update(String appId, String segmentId, ObjectNode definition, Instant at) {
        return jdbi.inTransaction(handle -> {
            Optional<StoredSegment> current = lockLatest(handle, appId, segmentId);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            int version = current.get().version() + 1;
            if (version > MAX_VERSIONS) {
                throw new RuleViolation("Segment '" + segmentId + "' has " + MAX_VERSIONS
                        + " versions, as many as a segment may have; create a new segment instead");
            }
            handle.createUpdate("UPDATE segments SET latest_version = :version WHERE app_id = :app AND id = :id")
                    .bind("version", version).bind("app", appId).bind("id", segmentId).execute();
            StoredSegment next = new StoredSegment(appId, segmentId, version, current.get().type(), definition,
                    current.get().created(), at);
            insertVersion(handle, next);
            return Optional.of(next);
        });
    }

    @Override
    public void importCounted(String appId, String segmentId, long size, Map<String, Long> channelCounts,
                              Instant at) {
        jdbi.useTransaction(handle -> lockLatest(handle, appId, segmentId).ifPresent(latest -> {
            ObjectNode definition = latest.definition().deepCopy();
            ObjectNode imported = definition.with("ImportDefinition");
            imported.put("Size", size);
            imported.set("ChannelCounts", Json.MAPPER.valueToTree(channelCounts));
            handle.createUpdate("UPDATE segment_versions SET definition = :definition, modified_ms = :modified "
                            + "WHERE app_id = :app AND segment_id = :id AND version = :version")
                    .bind("definition", definition.toString()).bind("modified", at.toEpochMilli())
                    .bind("app", appId).bind("id", segmentId).bind("version", latest.version()).execute();
        }));
    }

    @Override
    public Optional<StoredSegment> delete(String appId, String segmentId, SegmentUsers users) {
        // Asked before the transaction: the journeys' store answers on a connection of its own, which a SQLite
        // writer holding the database would keep waiting.
        users.publishedJourneyUsing(appId, segmentId).ifPresent(journeyId -> {
            throw new RuleConflict("Segment '" + segmentId + "' is used by journey '" + journeyId
                    + "', which is active or paused; stop or delete the journey first");
        });
        return jdbi.inTransaction(handle -> {
            Optional<StoredSegment> latest = lockLatest(handle, appId, segmentId);
            if (latest.isPresent()) {
                sourceOf(handle, appId, segmentId).ifPresent(user -> {
                    throw new RuleConflict("Segment '" + segmentId + "' is a source segment of "
                            + "segment '" + user + "'; update or delete that segment first");
                });
                handle.createUpdate("DELETE FROM segment_versions WHERE app_id = :app AND segment_id = :id")
                        .bind("app", appId).bind("id", segmentId).execute();
                handle.createUpdate("DELETE FROM segments WHERE app_id = :app AND id = :id")
                        .bind("app", appId).bind("id", segmentId).execute();
                handle.createUpdate("DELETE FROM import_segment_members WHERE app_id = :app AND segment_id = :id")
                        .bind("app", appId).bind("id", segmentId).execute();
                // Tags have no foreign key, so ON DELETE CASCADE does not reach them.
                handle.createUpdate("DELETE FROM tags WHERE resource_id = :id")
                        .bind("id", Arns.segmentTagId(appId, segmentId)).execute();
            }
            return latest;
        });
    }

    @Override
    public Page<StoredSegment> list(String appId, Optional<PageCursor> after, int limit) {
        Page<Positioned<StoredSegment>> page = jdbi.withHandle(handle -> LATEST.page(handle, appId, after, limit));
        return page.map(Positioned::item);
    }

    @Override
    public Page<StoredSegment> versions(String appId, String segmentId, Optional<PageCursor> after, int limit) {
        List<StoredSegment> rows = jdbi.withHandle(handle -> {
            Query query = handle.createQuery("SELECT " + COLUMNS + " FROM segments s JOIN segment_versions v "
                            + "ON v.app_id = s.app_id AND v.segment_id = s.id WHERE s.app_id = :app AND s.id = :id"
                            + (after.isPresent() ? " AND v.version > :after" : "") + " ORDER BY v.version LIMIT :limit")
                    .bind("app", appId).bind("id", segmentId).bind("limit", limit + 1);
            after.ifPresent(cursor -> query.bind("after", (int) cursor.position()));
            return query.map(MAPPER).list();
        });
        return Page.of(rows, limit, row -> new PageCursor(row.version(), row.id()));
    }

    @Override
    public Optional<StoredSegment> find(String appId, String segmentId, Optional<Integer> version) {
        return jdbi.withHandle(handle -> {
            Query query = handle.createQuery("SELECT " + COLUMNS + " FROM segments s JOIN segment_versions v "
                            + "ON v.app_id = s.app_id AND v.segment_id = s.id WHERE s.app_id = :app AND s.id = :id AND "
                            + (version.isPresent() ? "v.version = :version" : "v.version = s.latest_version"))
                    .bind("app", appId).bind("id", segmentId);
            version.ifPresent(number -> query.bind("version", number));
            return query.map(MAPPER).findOne();
        });
    }

    @Override
    public boolean exists(String appId, String segmentId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT 1 FROM segments WHERE app_id = :app AND id = :id")
                .bind("app", appId).bind("id", segmentId).mapTo(Integer.class).findOne().isPresent());
    }

    /** Whether an import job registered the endpoint (by its key) in the IMPORT segment. */
    boolean isImportMember(String appId, String segmentId, String endpointKey) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT 1 FROM import_segment_members WHERE app_id = :app "
                        + "AND segment_id = :segment AND endpoint_key = :key")
                .bind("app", appId).bind("segment", segmentId).bind("key", endpointKey)
                .mapTo(Integer.class).findOne().isPresent());
    }

    /**
     * A segment of the app whose latest version names {@code segmentId} among its SourceSegments (a segment whose
     * source is gone could no longer be read); empty when none does. Definitions are stored as compact JSON, where
     * {@code "Id":"<id>"} with bare quotes is only ever a source reference (quotes inside names are escaped): the
     * database finds those, and they are read one at a time until one is confirmed, never all at once.
     */
    private static Optional<String> sourceOf(Handle handle, String appId, String segmentId) {
        String literal = segmentId.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        try (Stream<StoredSegment> naming = handle.createQuery("SELECT " + COLUMNS + " FROM segments s "
                        + "JOIN segment_versions v ON v.app_id = s.app_id AND v.segment_id = s.id "
                        + "AND v.version = s.latest_version WHERE s.app_id = :app AND s.id <> :id "
                        + "AND v.definition LIKE :reference ESCAPE '\\'")
                .bind("app", appId).bind("id", segmentId).bind("reference", "%\"Id\":\"" + literal + "\"%")
                .setFetchSize(16).map(MAPPER).stream()) {
            return naming.filter(segment -> namesSource(segment, segmentId)).map(StoredSegment::id).findFirst();
        }
    }

    private static boolean namesSource(StoredSegment segment, String segmentId) {
        for (JsonNode group : segment.definition().path("SegmentGroups").path("Groups")) {
            for (JsonNode source : group.path("SourceSegments")) {
                if (segmentId.equals(source.path("Id").asText(null))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Locks the segment's row until the transaction ends and reads its latest version; empty when there is none. */
    private Optional<StoredSegment> lockLatest(Handle handle, String appId, String segmentId) {
        Optional<Integer> latest = handle.createQuery("SELECT latest_version FROM segments WHERE app_id = :app "
                        + "AND id = :id" + dialect.lockRowSuffix())
                .bind("app", appId).bind("id", segmentId).mapTo(Integer.class).findOne();
        return latest.flatMap(version -> handle.createQuery("SELECT " + COLUMNS + " FROM segments s "
                        + "JOIN segment_versions v ON v.app_id = s.app_id AND v.segment_id = s.id "
                        + "WHERE s.app_id = :app AND s.id = :id AND v.version = :version")
                .bind("app", appId).bind("id", segmentId).bind("version", version).map(MAPPER).findOne());
    }

    private static void insertVersion(Handle handle, StoredSegment segment) {
        handle.createUpdate("INSERT INTO segment_versions (app_id, segment_id, version, definition, modified_ms) "
                        + "VALUES (:app, :id, :version, :definition, :modified)")
                .bind("app", segment.appId()).bind("id", segment.id()).bind("version", segment.version())
                .bind("definition", segment.definition().toString())
                .bind("modified", segment.modified().toEpochMilli()).execute();
    }
}
