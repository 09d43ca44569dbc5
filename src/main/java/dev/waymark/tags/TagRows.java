package dev.waymark.tags;

import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Writes a resource's tag rows inside a transaction another store has open, so that an app is created with its tags
 * in one commit; the tags' own store writes them the same way.
 */
public final class TagRows {
    private TagRows() {}

    /** Adds the tags, replacing the value of a key the resource already has. */
    public static void put(Handle handle, String resourceId, Map<String, String> tags) {
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            handle.createUpdate("INSERT INTO tags (resource_id, tag_key, tag_value) VALUES (:id, :key, :value) "
                            + "ON CONFLICT (resource_id, tag_key) DO UPDATE SET tag_value = excluded.tag_value")
                    .bind("id", resourceId).bind("key", tag.getKey()).bind("value", tag.getValue()).execute();
        }
    }
}
