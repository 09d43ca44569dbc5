package dev.waymark.audience;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.waymark.store.sql.Dialect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Each app's attribute names (for the 250 limit) and RemoveAttributes blacklist, cached per app so that the common
 * write, which brings no new name, reads neither table. Names are kind-qualified: {@code A:}, {@code M:}, {@code U:}.
 *
 * <p>The name cache holds only names read from committed rows: a name registered by a transaction that then rolls
 * back is never cached. Names of an app only grow until it is deleted (app ids are never reused), so a node's cache
 * is never wrong, only short. Blacklists change on RemoveAttributes: this node forgets its copy at once, other nodes
 * within {@link #BLACKLIST_TTL}.
 */
final class AttributeRegistry {
    static final Duration BLACKLIST_TTL = Duration.ofSeconds(30);

    private final Dialect dialect;
    private final Cache<String, Set<String>> names = Caffeine.newBuilder().maximumSize(10_000).build();
    private final Cache<String, Map<String, List<AttributeRules.Glob>>> blacklists =
            Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(BLACKLIST_TTL).build();

    AttributeRegistry(Dialect dialect) {
        this.dialect = dialect;
    }

    /** The blacklist globs of an app by kind letter. */
    Map<String, List<AttributeRules.Glob>> blacklist(Handle handle, String appId) {
        return blacklists.get(appId, id -> {
            Map<String, List<AttributeRules.Glob>> byKind = new HashMap<>();
            handle.createQuery("SELECT kind, pattern FROM endpoint_attribute_blacklist WHERE app_id = :app")
                    .bind("app", id)
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                    .forEach(entry -> byKind.computeIfAbsent(entry.getKey(), k -> new ArrayList<>())
                            .add(AttributeRules.glob(entry.getValue())));
            return byKind;
        });
    }

    /** The names known to be registered for the app, from the cache (possibly short of the newest). */
    Set<String> cached(String appId) {
        Set<String> known = names.getIfPresent(appId);
        return known == null ? Set.of() : known;
    }

    /**
     * The app's registered names, complete as far as {@code candidates} go: from the cache when it knows them all,
     * else read (under the app's attribute lock) from the table inside the caller's transaction.
     */
    Set<String> known(Handle handle, String appId, Set<String> candidates) {
        Set<String> cached = cached(appId);
        if (cached.containsAll(candidates)) {
            return cached;
        }
        // Several nodes (PostgreSQL) registering names of one app at once count one after the other.
        dialect.lockForTransaction(handle, "endpoint-attributes:" + appId);
        Set<String> registered = load(handle, appId);
        names.put(appId, registered);
        return registered;
    }

    /** Registers new kind-qualified names, inside the caller's transaction (the count was checked by the caller). */
    void insert(Handle handle, String appId, java.util.Collection<String> added) {
        if (added.isEmpty()) {
            return;
        }
        var batch = handle.prepareBatch("INSERT INTO endpoint_attribute_names (app_id, kind, name) "
                + "VALUES (:app, :kind, :name) ON CONFLICT DO NOTHING");
        for (String name : added) {
            batch.bind("app", appId).bind("kind", name.substring(0, 1)).bind("name", name.substring(2)).add();
        }
        batch.execute();
    }

    /** Every registered name of the app, kind-qualified. */
    Set<String> load(Handle handle, String appId) {
        return Set.copyOf(handle.createQuery("SELECT kind, name FROM endpoint_attribute_names WHERE app_id = :app")
                .bind("app", appId).map((rs, ctx) -> rs.getString(1) + ":" + rs.getString(2)).list());
    }

    /** RemoveAttributes: records the globs and unregisters the matching names; the names removed, sorted. */
    List<String> remove(Handle handle, String appId, String kind, List<String> patterns) {
        dialect.lockForTransaction(handle, "endpoint-attributes:" + appId);
        var insert = handle.prepareBatch("INSERT INTO endpoint_attribute_blacklist (app_id, kind, pattern) "
                + "VALUES (:app, :kind, :pattern) ON CONFLICT DO NOTHING");
        for (String pattern : patterns) {
            insert.bind("app", appId).bind("kind", kind).bind("pattern", pattern).add();
        }
        if (!patterns.isEmpty()) {
            insert.execute();
            // Counted after the insert (under the lock), so that entries already stored are not counted twice.
            AttributeRules.checkBlacklistTotal(handle.createQuery(
                            "SELECT COUNT(*) FROM endpoint_attribute_blacklist WHERE app_id = :app")
                    .bind("app", appId).mapTo(Long.class).one());
        }
        List<AttributeRules.Glob> globs = patterns.stream().map(AttributeRules::glob).toList();
        List<String> removed = handle.createQuery("SELECT name FROM endpoint_attribute_names "
                        + "WHERE app_id = :app AND kind = :kind ORDER BY name")
                .bind("app", appId).bind("kind", kind).mapTo(String.class).list().stream()
                .filter(name -> AttributeRules.matchesAny(name, globs)).toList();
        var delete = handle.prepareBatch(
                "DELETE FROM endpoint_attribute_names WHERE app_id = :app AND kind = :kind AND name = :name");
        for (String name : removed) {
            delete.bind("app", appId).bind("kind", kind).bind("name", name).add();
        }
        if (!removed.isEmpty()) {
            delete.execute();
        }
        forget(appId);
        return removed;
    }

    /** Drops what this node has cached of an app (after RemoveAttributes or DeleteApp). */
    void forget(String appId) {
        names.invalidate(appId);
        blacklists.invalidate(appId);
    }
}
