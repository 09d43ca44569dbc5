package dev.waymark.tags;

import dev.waymark.store.sql.Dialect;
import dev.waymark.wire.Arns;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** Tags in a SQL database. */
public final class SqlTagStore implements TagStore {
    private final Jdbi jdbi;
    private final Dialect dialect;

    public SqlTagStore(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
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
    public PutResult put(Arns.Resource resource, Map<String, String> tags, int max) {
        String resourceId = resource.resourceId();
        try {
            return jdbi.inTransaction(handle -> {
                // The resource's row lock, held until commit, orders this after a delete of it (which then left
                // nothing to tag) and after every other tagging of it (whose tags the count below then sees).
                String lock = resource.template().isPresent()
                        ? "SELECT name FROM templates WHERE name = :name AND type = :type"
                        : resource.journeyId().isPresent()
                        ? "SELECT id FROM journeys WHERE id = :id AND app_id = :appId"
                        : resource.segmentId().isPresent()
                        ? "SELECT id FROM segments WHERE id = :segment AND app_id = :appId"
                        : "SELECT id FROM apps WHERE id = :id AND id = :appId";
                if (handle.createQuery(lock + dialect.lockRowSuffix()).bind("id", resourceId)
                        .bind("appId", resource.appId()).bind("segment", resource.segmentId().orElse(""))
                        .bind("name", resource.template().map(Arns.Template::name).orElse(""))
                        .bind("type", resource.template().map(Arns.Template::type).orElse(""))
                        .mapTo(String.class).findOne().isEmpty()) {
                    return PutResult.NO_SUCH_RESOURCE;
                }
                TagRows.put(handle, resourceId, tags);
                int count = handle.createQuery("SELECT COUNT(*) FROM tags WHERE resource_id = :id")
                        .bind("id", resourceId).mapTo(Integer.class).one();
                if (count > max) {
                    throw new TooManyTags();
                }
                return PutResult.PUT;
            });
        } catch (TooManyTags e) {
            return PutResult.TOO_MANY;
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
}
