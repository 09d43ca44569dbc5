package dev.waymark.apps;

import dev.waymark.store.Page;
import dev.waymark.store.PageCursor;
import dev.waymark.store.sql.Dialect;
import dev.waymark.store.sql.DirectReads;
import dev.waymark.store.sql.KeysetQuery;
import dev.waymark.store.sql.Positioned;
import dev.waymark.tags.TagRows;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Apps in a SQL database.
 *
 * <p>Lock order, the same in every write of the store so that two writers never wait for each other in a cycle:
 * the 'apps' counter, then an app row, then its journey rows (by id), then their runs, then tags; an app's settings
 * row is written only under its app row's lock.
 */
public final class SqlAppStore implements AppStore {
    private static final RowMapper<App> MAPPER = (rs, ctx) ->
            new App(rs.getString("id"), rs.getString("name"), Instant.ofEpochMilli(rs.getLong("created_ms")));
    private static final KeysetQuery<Positioned<App>> PAGES = new KeysetQuery<>("apps", "seq", "*", "id", null,
            (rs, ctx) -> new Positioned<>(MAPPER.map(rs, ctx), rs.getLong("seq"), rs.getString("id")),
            Positioned::cursor);

    private static final String FIND_WITH_TAGS = "SELECT a.id, a.name, a.created_ms, t.tag_key, t.tag_value "
            + "FROM apps a LEFT JOIN tags t ON t.resource_id = a.id WHERE a.id = ? ORDER BY t.tag_key";

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final DirectReads directReads;

    public SqlAppStore(Jdbi jdbi, Dialect dialect, DirectReads directReads) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.directReads = directReads;
    }

    @Override
    public void insert(App app, Map<String, String> tags) {
        jdbi.useTransaction(handle -> {
            // The counter's row lock is held until commit, so positions become visible in the order they are taken.
            handle.createUpdate("UPDATE sequences SET last_value = last_value + 1 WHERE name = 'apps'").execute();
            long position = handle.createQuery("SELECT last_value FROM sequences WHERE name = 'apps'")
                    .mapTo(Long.class).one();
            handle.createUpdate("INSERT INTO apps (id, name, created_ms, seq) VALUES (:id, :name, :created, :seq)")
                    .bind("id", app.id()).bind("name", app.name()).bind("created", app.createdAt().toEpochMilli())
                    .bind("seq", position).execute();
            TagRows.put(handle, app.id(), tags);
        });
    }

    @Override
    public Optional<App> find(String id) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM apps WHERE id = :id")
                .bind("id", id).map(MAPPER).findOne());
    }

    @Override
    public Optional<TaggedApp> findWithTags(String id) {
        // GetApp: the second most frequent request, so straight on JDBC.
        return directReads.query(FIND_WITH_TAGS, statement -> statement.setString(1, id), rows -> {
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
        });
    }

    @Override
    public Page<App> list(Optional<PageCursor> after, int limit, Optional<Set<String>> only) {
        Page<Positioned<App>> page = jdbi.withHandle(handle -> PAGES.page(handle, null, after, limit, only));
        return page.map(Positioned::item);
    }

    @Override
    public Optional<List<String>> delete(String id) {
        return jdbi.inTransaction(handle -> {
            if (lockApp(handle, id).isEmpty()) {
                return Optional.empty();
            }
            SqlAppSettings.delete(handle, id);
            // Journeys before their runs, as the run planner locks them: a delete never holds a run lock while it
            // waits for a journey the planner holds.
            List<String> journeyIds = handle.createQuery("SELECT id FROM journeys WHERE app_id = :id ORDER BY id"
                    + dialect.lockRowSuffix()).bind("id", id).mapTo(String.class).list();
            handle.createUpdate("DELETE FROM journey_runs WHERE journey_id IN "
                    + "(SELECT id FROM journeys WHERE app_id = :id)").bind("id", id).execute();
            // Tags have no foreign key, so ON DELETE CASCADE does not reach them.
            handle.createUpdate("DELETE FROM tags WHERE resource_id IN (SELECT id FROM journeys WHERE app_id = :id)")
                    .bind("id", id).execute();
            handle.createUpdate("DELETE FROM journeys WHERE app_id = :id").bind("id", id).execute();
            handle.createUpdate("DELETE FROM tags WHERE resource_id = :id").bind("id", id).execute();
            // The app's events and the names they used (the audience's tables), before the row they refer to.
            handle.createUpdate("DELETE FROM events WHERE app_id = :id").bind("id", id).execute();
            handle.createUpdate("DELETE FROM event_names WHERE app_id = :id").bind("id", id).execute();
            // The audience: said here rather than left to ON DELETE CASCADE, so that the order is this one.
            for (String table : List.of("endpoints", "endpoint_attribute_names", "endpoint_attribute_blacklist")) {
                handle.createUpdate("DELETE FROM " + table + " WHERE app_id = :id").bind("id", id).execute();
            }
            // Import and export jobs, and the IMPORT segments' members (their own foreign keys would also do it).
            handle.createUpdate("DELETE FROM import_segment_members WHERE app_id = :id").bind("id", id).execute();
            handle.createUpdate("DELETE FROM audience_jobs WHERE app_id = :id").bind("id", id).execute();
            // Segments with their versions and their tags (which no foreign key reaches).
            handle.createUpdate("DELETE FROM tags WHERE resource_id IN "
                            + "(SELECT 'segments/' || app_id || '/' || id FROM segments WHERE app_id = :id)")
                    .bind("id", id).execute();
            handle.createUpdate("DELETE FROM segment_versions WHERE app_id = :id").bind("id", id).execute();
            handle.createUpdate("DELETE FROM segments WHERE app_id = :id").bind("id", id).execute();
            handle.createUpdate("DELETE FROM apps WHERE id = :id").bind("id", id).execute();
            return Optional.of(journeyIds);
        });
    }

    @Override
    public Optional<AppSettings> settings(String appId) {
        return jdbi.withHandle(handle -> SqlAppSettings.read(handle, appId));
    }

    @Override
    public Optional<AppSettings> updateSettings(String appId, UnaryOperator<AppSettings> change) {
        return jdbi.inTransaction(handle -> {
            if (lockApp(handle, appId).isEmpty()) {
                return Optional.empty();
            }
            AppSettings next = change.apply(SqlAppSettings.read(handle, appId).orElseThrow());
            SqlAppSettings.write(handle, next);
            return Optional.of(next);
        });
    }

    /** Locks the app's row until the transaction ends; empty when there is no such app. */
    Optional<String> lockApp(Handle handle, String id) {
        return handle.createQuery("SELECT id FROM apps WHERE id = :id" + dialect.lockRowSuffix())
                .bind("id", id).mapTo(String.class).findOne();
    }
}
