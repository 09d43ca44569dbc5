package dev.waymark.audience;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.apps.AppLookup;
import dev.waymark.store.Store;
import dev.waymark.store.sql.Dialect;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Endpoints in a SQL database: the store the endpoint operations use, and the {@link EndpointRecords} through which
 * PutEvents and import/export jobs write and read endpoints in their own transactions.
 */
public final class SqlEndpointStore implements EndpointStore, EndpointRecords {
    private final Jdbi jdbi;
    private final Dialect dialect;
    private final AttributeRegistry registry;
    private final EndpointWriter writer;
    private final List<EndpointDeletion> deletions = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AppWriteQueue queue = new AppWriteQueue();

    public SqlEndpointStore(Jdbi jdbi, Dialect dialect, Clock clock) {
        this.jdbi = jdbi;
        this.registry = new AttributeRegistry(dialect);
        this.dialect = dialect;
        this.writer = new EndpointWriter(dialect, new EndpointRules(clock), registry);
    }

    @Override
    public void onDeletion(EndpointDeletion listener) {
        deletions.add(listener);
    }

    /** Adds what is told of endpoint deletions (the event log deletes the endpoints' events). */
    static void onDelete(Store store, EndpointDeletion deletion) {
        ((SqlEndpointStore) store.endpoints()).deletions.add(deletion);
    }

    /** The records of a store's endpoints, for the rest of the audience package. */
    static EndpointRecords records(Store store) {
        return (EndpointRecords) store.endpoints();
    }

    @Override
    public Optional<ObjectNode> find(String appId, String endpointId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM endpoints WHERE app_id = :app AND id_key = :key")
                .bind("app", appId).bind("key", key(endpointId)).map(EndpointRows.MAPPER).findOne()
                .map(endpoint -> endpoint.response(appId)));
    }

    @Override
    public java.util.Map<String, ObjectNode> findByKeys(org.jdbi.v3.core.Handle handle, String appId,
                                                        java.util.Collection<String> keys) {
        java.util.Map<String, ObjectNode> found = new java.util.HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        handle.createQuery("SELECT * FROM endpoints WHERE app_id = :app AND id_key IN (<keys>)")
                .bind("app", appId).bindList("keys", List.copyOf(keys)).map(EndpointRows.MAPPER)
                .forEach(endpoint -> {
                    ObjectNode response = endpoint.response(appId);
                    found.put(key(response.path("Id").asText()), response);
                });
        return found;
    }

    @Override
    public Optional<byte[]> findEncoded(String appId, String endpointId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM endpoints WHERE app_id = :app AND id_key = :key")
                .bind("app", appId).bind("key", key(endpointId))
                .map((rs, ctx) -> EndpointRows.encodeResponse(rs, appId)).findOne());
    }

    @Override
    public List<ObjectNode> byUser(String appId, String userId) {
        return jdbi.withHandle(handle -> userEndpoints(handle, appId, userId));
    }

    @Override
    public long count(String appId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM endpoints WHERE app_id = :app")
                .bind("app", appId).mapTo(Long.class).one());
    }

    @Override
    public void updateOne(String appId, String endpointId, ObjectNode request) {
        ObjectNode item = request.deepCopy();
        item.put("Id", endpointId);
        write(appId, List.of(item), EndpointWriter.Mode.ONE);
    }

    @Override
    public void update(String appId, List<ObjectNode> items) {
        write(appId, items, EndpointWriter.Mode.ALL);
    }

    private void write(String appId, List<ObjectNode> items, EndpointWriter.Mode mode) {
        EndpointWriter.Prepared prepared = jdbi.withHandle(handle -> writer.prepare(handle, appId, items, mode));
        unlessAppDeleted(appId, () -> queued(appId,
                () -> jdbi.inTransaction(handle -> writer.apply(handle, appId, prepared, mode))));
    }

    /**
     * Runs a write whose rows refer to the app; when it fails because DeleteApp removed the app meanwhile (the rows'
     * reference to it fails), the app's NotFound, as if the request had come a moment later, not a server error.
     */
    private <T> T unlessAppDeleted(String appId, java.util.function.Supplier<T> write) {
        try {
            return write.get();
        } catch (org.jdbi.v3.core.JdbiException e) {
            boolean exists = jdbi.withHandle(handle -> handle.createQuery("SELECT id FROM apps WHERE id = :id")
                    .bind("id", appId).mapTo(String.class).findOne().isPresent());
            if (exists) {
                throw e;
            }
            throw AppLookup.notFound(appId);
        }
    }

    @Override
    public Optional<ObjectNode> delete(String appId, String endpointId) {
        return queued(appId, () -> jdbi.inTransaction(handle -> {
            EndpointWriter.lock(dialect, handle, appId);
            Optional<ObjectNode> found = handle.createQuery("SELECT * FROM endpoints WHERE app_id = :app AND id_key = :key")
                    .bind("app", appId).bind("key", key(endpointId)).map(EndpointRows.MAPPER).findOne()
                    .map(endpoint -> endpoint.response(appId));
            if (found.isPresent()) {
                handle.createUpdate("DELETE FROM endpoints WHERE app_id = :app AND id_key = :key")
                        .bind("app", appId).bind("key", key(endpointId)).execute();
                deleted(handle, appId, found.stream().toList());
            }
            return found;
        }));
    }

    @Override
    public List<ObjectNode> deleteUser(String appId, String userId) {
        return queued(appId, () -> jdbi.inTransaction(handle -> {
            EndpointWriter.lock(dialect, handle, appId);
            List<ObjectNode> found = userEndpoints(handle, appId, userId);
            if (!found.isEmpty()) {
                handle.createUpdate("DELETE FROM endpoints WHERE app_id = :app AND user_id = :user")
                        .bind("app", appId).bind("user", userId).execute();
                deleted(handle, appId, found);
            }
            return found;
        }));
    }

    @Override
    public List<String> removeAttributes(String appId, String attributeType, List<String> blacklist) {
        String kind = AttributeRules.kind(attributeType);
        AttributeRules.checkBlacklist(blacklist);
        List<String> removed = unlessAppDeleted(appId,
                () -> queued(appId, () -> jdbi.inTransaction(handle -> registry.remove(handle, appId, kind, blacklist))));
        // Again after commit: a write between the first forgetting and the commit may have cached the old list.
        registry.forget(appId);
        return removed;
    }

    @Override
    public <T> T queued(String appId, java.util.function.Supplier<T> write) {
        return queue.run(appId, write);
    }

    @Override
    public List<Optional<String>> applyEach(Handle handle, String appId, List<ObjectNode> items) {
        return writer.apply(handle, appId, items, EndpointWriter.Mode.EACH);
    }

    @Override
    public void applyAll(Handle handle, String appId, List<ObjectNode> items) {
        writer.apply(handle, appId, items, EndpointWriter.Mode.ALL);
    }

    @Override
    public long count(String appId, EndpointFilter filter) {
        if (dialect != Dialect.POSTGRESQL) {
            return jdbi.withHandle(handle -> countIn(handle, appId, filter));
        }
        // A count over a large app is costed high enough for PostgreSQL to compile it with LLVM first: 0.7-1.2 s of
        // JIT for a 2-3 s count of 1,000,000 endpoints (bench/run_segments.py), more than it saved. Pages have a
        // LIMIT and are never costed that high.
        return jdbi.inTransaction(handle -> {
            handle.execute("SET LOCAL jit = off");
            return countIn(handle, appId, filter);
        });
    }

    private static long countIn(Handle handle, String appId, EndpointFilter filter) {
        return handle.createQuery(countSql(filter)).bindMap(filter.binds()).bind("app", appId).mapTo(Long.class).one();
    }

    @Override
    public List<ObjectNode> page(String appId, EndpointFilter filter, Optional<String> afterKey, int limit) {
        return jdbi.withHandle(handle -> {
            var query = handle.createQuery(pageSql(filter, afterKey.isPresent()));
            afterKey.ifPresent(after -> query.bind("after", after));
            return query.bindMap(filter.binds()).bind("app", appId).bind("limit", limit)
                    .map((rs, ctx) -> MemberRows.response(rs, appId)).list();
        });
    }

    /** The count of {@link #count(String, EndpointFilter)}, for the query plans the benchmark and tests show. */
    static String countSql(EndpointFilter filter) {
        return "SELECT count(*) FROM endpoints e WHERE e.app_id = :app AND (" + filter.sql() + ")";
    }

    /** The page query of {@link #page}: binds app, limit and, when {@code after}, after. */
    static String pageSql(EndpointFilter filter, boolean after) {
        return "SELECT " + MemberRows.COLUMNS + " FROM endpoints e WHERE e.app_id = :app"
                + (after ? " AND e.id_key > :after" : "") + " AND (" + filter.sql() + ")"
                + " ORDER BY e.id_key LIMIT :limit";
    }

    @Override
    public String key(String endpointId) {
        return EndpointRules.key(endpointId);
    }

    private void deleted(Handle handle, String appId, List<ObjectNode> endpoints) {
        List<String> keys = endpoints.stream().map(endpoint -> key(endpoint.get("Id").textValue())).toList();
        deletions.forEach(deletion -> deletion.deleted(handle, appId, keys));
    }

    private static List<ObjectNode> userEndpoints(Handle handle, String appId, String userId) {
        return handle.createQuery("SELECT * FROM endpoints WHERE app_id = :app AND user_id = :user ORDER BY id_key")
                .bind("app", appId).bind("user", userId).map(EndpointRows.MAPPER)
                .map(endpoint -> endpoint.response(appId)).list();
    }
}
