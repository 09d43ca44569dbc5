package dev.waymark.store.sql;

import dev.waymark.store.TagStore;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Tags in a SQL database. */
final class SqlTagStore implements TagStore {
    private final Jdbi jdbi;

    SqlTagStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Map<String, String> get(String resourceId) {
        return jdbi.withHandle(handle -> {
            Map<String, String> tags = new LinkedHashMap<>();
            handle.createQuery("SELECT tag_key, tag_value FROM tags WHERE resource_id = :id ORDER BY tag_key")
                    .bind("id", resourceId)
                    .map((rs, ctx) -> tags.put(rs.getString("tag_key"), rs.getString("tag_value")))
                    .list();
            return tags;
        });
    }

    @Override
    public boolean put(String resourceId, Map<String, String> tags, int max) {
        try {
            jdbi.useTransaction(handle -> {
                upsert(handle, resourceId, tags);
                int count = handle.createQuery("SELECT COUNT(*) FROM tags WHERE resource_id = :id")
                        .bind("id", resourceId).mapTo(Integer.class).one();
                if (count > max) {
                    throw new TooManyTags();
                }
            });
            return true;
        } catch (TooManyTags e) {
            return false;
        }
    }

    /** Thrown inside the transaction so that it rolls back. */
    private static final class TooManyTags extends RuntimeException {
        TooManyTags() {
            super(null, null, false, false);
        }
    }

    @Override
    public void remove(String resourceId, Collection<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        jdbi.useHandle(handle -> handle.createUpdate("DELETE FROM tags WHERE resource_id = :id AND tag_key IN (<keys>)")
                .bind("id", resourceId).bindList("keys", keys).execute());
    }

    static void upsert(Handle handle, String resourceId, Map<String, String> tags) {
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            handle.createUpdate("INSERT INTO tags (resource_id, tag_key, tag_value) VALUES (:id, :key, :value) "
                            + "ON CONFLICT (resource_id, tag_key) DO UPDATE SET tag_value = excluded.tag_value")
                    .bind("id", resourceId).bind("key", tag.getKey()).bind("value", tag.getValue()).execute();
        }
    }
}
