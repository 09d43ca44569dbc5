package dev.waymark.store.sql;

import dev.waymark.domain.App;
import dev.waymark.store.AppStore;
import dev.waymark.store.Page;
import dev.waymark.store.PageCursor;
import dev.waymark.store.TaggedApp;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** Apps in a SQL database. */
final class SqlAppStore implements AppStore {
    private static final RowMapper<App> MAPPER = (rs, ctx) ->
            new App(rs.getString("id"), rs.getString("name"), Instant.ofEpochMilli(rs.getLong("created_ms")));
    private static final KeysetQuery<App> PAGES =
            new KeysetQuery<>("apps", "*", "id", null, MAPPER, app -> PageCursor.of(app.createdAt(), app.id()));

    private final Jdbi jdbi;

    SqlAppStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void insert(App app, Map<String, String> tags) {
        jdbi.useTransaction(handle -> {
            handle.createUpdate("INSERT INTO apps (id, name, created_ms) VALUES (:id, :name, :created)")
                    .bind("id", app.id()).bind("name", app.name()).bind("created", app.createdAt().toEpochMilli())
                    .execute();
            SqlTagStore.upsert(handle, app.id(), tags);
        });
    }

    @Override
    public Optional<App> find(String id) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM apps WHERE id = :id")
                .bind("id", id).map(MAPPER).findOne());
    }

    @Override
    public Optional<TaggedApp> findWithTags(String id) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT a.id, a.name, a.created_ms, t.tag_key, t.tag_value "
                        + "FROM apps a LEFT JOIN tags t ON t.resource_id = a.id WHERE a.id = :id ORDER BY t.tag_key")
                .bind("id", id)
                .scanResultSet((results, context) -> {
                    ResultSet rows = results.get();
                    if (!rows.next()) {
                        return Optional.<TaggedApp>empty();
                    }
                    App app = new App(rows.getString(1), rows.getString(2), Instant.ofEpochMilli(rows.getLong(3)));
                    Map<String, String> tags = new LinkedHashMap<>();
                    do {
                        String key = rows.getString(4);
                        if (key != null) {
                            tags.put(key, rows.getString(5));
                        }
                    } while (rows.next());
                    return Optional.of(new TaggedApp(app, tags));
                }));
    }

    @Override
    public Page<App> list(Optional<PageCursor> after, int limit, Optional<Set<String>> only) {
        return jdbi.withHandle(handle -> PAGES.page(handle, null, after, limit, only));
    }

    @Override
    public boolean delete(String id) {
        return jdbi.inTransaction(handle -> {
            // Explicit rather than ON DELETE CASCADE alone: tags have no foreign key, and the order keeps
            // every dialect's locks the same.
            handle.createUpdate("DELETE FROM tags WHERE resource_id IN (SELECT id FROM journeys WHERE app_id = :id)")
                    .bind("id", id).execute();
            handle.createUpdate("DELETE FROM journey_runs WHERE journey_id IN "
                    + "(SELECT id FROM journeys WHERE app_id = :id)").bind("id", id).execute();
            handle.createUpdate("DELETE FROM journeys WHERE app_id = :id").bind("id", id).execute();
            handle.createUpdate("DELETE FROM tags WHERE resource_id = :id").bind("id", id).execute();
            return handle.createUpdate("DELETE FROM apps WHERE id = :id").bind("id", id).execute() == 1;
        });
    }
}
