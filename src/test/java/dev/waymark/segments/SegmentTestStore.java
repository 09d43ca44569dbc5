package dev.waymark.segments;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.apps.App;
import dev.waymark.audience.EndpointFilter;
import dev.waymark.audience.EndpointTable;
import dev.waymark.store.sql.Dialect;
import dev.waymark.store.sql.SqlStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * A real store (a SQLite file in a temporary directory, or a fresh PostgreSQL database at 127.0.0.1:5432) with one
 * app, for the grammar's tests: endpoints written through EndpointStore.update, events and IMPORT members inserted,
 * and both evaluators of a criterion run against it.
 */
final class SegmentTestStore implements AutoCloseable {
    static final String APP = "app1";
    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    final SqlStore store;
    final CriterionSql sql;
    final EndpointMatcher matcher;
    private final String postgresDatabase;

    private SegmentTestStore(SqlStore store, String postgresDatabase) {
        this.store = store;
        this.postgresDatabase = postgresDatabase;
        this.sql = new CriterionSql(store.dialect());
        this.matcher = new EndpointMatcher(store.events(), (appId, segmentId, endpointId) ->
                store.endpoints().count(appId, new EndpointFilter(EndpointTable.importedInto("f0")
                        + " AND e.id_key = :f1", Map.of("f0", segmentId, "f1", store.endpoints().key(endpointId))))
                        == 1);
        store.apps().insert(new App(APP, "segments", Instant.EPOCH), Map.of());
    }

    /** A store of {@code kind} ("sqlite" or "postgresql"); the test is skipped when PostgreSQL does not answer. */
    static SegmentTestStore open(String kind) throws Exception {
        if (kind.equals("sqlite")) {
            Path dir = Files.createTempDirectory("segments");
            return new SegmentTestStore(SqlStore.open("jdbc:sqlite:" + dir.resolve("waymark.db")), null);
        }
        String name = "waymark_segments_" + Long.toHexString(System.nanoTime());
        try (Connection db = DriverManager.getConnection(POSTGRES)) {
            db.createStatement().execute("CREATE DATABASE " + name);
        } catch (SQLException none) {
            Assumptions.abort("no PostgreSQL at 127.0.0.1:5432");
        }
        return new SegmentTestStore(SqlStore.open(POSTGRES.replace("/postgres?", "/" + name + "?")), name);
    }

    /** Writes endpoints (EndpointBatchItems with their Id) 100 at a time, as UpdateEndpointsBatch would. */
    void write(List<ObjectNode> items) {
        for (int i = 0; i < items.size(); i += 100) {
            store.endpoints().update(APP, items.subList(i, Math.min(items.size(), i + 100)));
        }
    }

    /** Records an event of the endpoint at {@code at}. */
    void event(String endpointId, String eventId, Instant at) {
        String json = store.dialect() == Dialect.POSTGRESQL ? "CAST('{}' AS jsonb)" : "'{}'";
        store.jdbi().useHandle(handle -> handle.createUpdate("INSERT INTO events (app_id, endpoint_key, event_id, "
                        + "event_type, timestamp_ms, received_ms, attributes, metrics) VALUES (:app, :key, :id, 'e', "
                        + ":at, :at, " + json + ", " + json + ")")
                .bind("app", APP).bind("key", store.endpoints().key(endpointId)).bind("id", eventId)
                .bind("at", at.toEpochMilli()).execute());
    }

    /** Registers the endpoint as a member of the IMPORT segment, as an import job with DefineSegment does. */
    void imported(String segmentId, String endpointId) {
        store.jdbi().useHandle(handle -> handle.createUpdate("INSERT INTO import_segment_members (app_id, segment_id, "
                        + "endpoint_key) VALUES (:app, :segment, :key)")
                .bind("app", APP).bind("segment", segmentId).bind("key", store.endpoints().key(endpointId)).execute());
    }

    /** The ids of the members the SQL selects, read a page at a time as segments will. */
    List<String> selected(Criterion criterion, Instant now, int pageSize) {
        EndpointFilter filter = sql.compile(criterion, now);
        List<String> ids = new ArrayList<>();
        Optional<String> after = Optional.empty();
        while (true) {
            List<ObjectNode> page = store.endpoints().page(APP, filter, after, pageSize);
            page.forEach(endpoint -> ids.add(endpoint.get("Id").textValue()));
            if (page.size() < pageSize) {
                break;
            }
            after = Optional.of(store.endpoints().key(ids.get(ids.size() - 1)));
        }
        long counted = store.endpoints().count(APP, filter);
        if (counted != ids.size()) {
            throw new AssertionError("count " + counted + " but " + ids.size() + " paged members for " + criterion);
        }
        return ids;
    }

    /** The ids of {@code endpoints} that EndpointMatcher says meet the criterion. */
    List<String> matched(Criterion criterion, List<ObjectNode> endpoints, Instant now) {
        return endpoints.stream().filter(endpoint -> matcher.test(APP, criterion, endpoint, now))
                .map(endpoint -> endpoint.get("Id").textValue()).toList();
    }

    /** Every endpoint of the app as EndpointStore.find reads it, in key order. */
    List<ObjectNode> all() {
        return store.endpoints().page(APP, EndpointFilter.EVERYONE, Optional.empty(), 100_000);
    }

    @Override
    public void close() throws Exception {
        store.close();
        if (postgresDatabase != null) {
            try (Connection db = DriverManager.getConnection(POSTGRES)) {
                db.createStatement().execute("DROP DATABASE IF EXISTS " + postgresDatabase + " WITH (FORCE)");
            }
        }
    }
}
