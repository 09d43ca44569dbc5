package dev.waymark.messaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.waymark.rules.RuleViolation;
import dev.waymark.store.Page;
import dev.waymark.store.PageCursor;
import dev.waymark.store.sql.Dialect;
import dev.waymark.tags.TagRows;
import dev.waymark.wire.Arns;
import dev.waymark.wire.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

/**
 * Message templates and their versions in a SQL database. Each change locks the template's row first, then its
 * versions and tags; a creation is serialised by the primary key.
 */
public final class SqlTemplateStore {
    /** Templates the account may hold, of all types together (Pinpoint's quota). */
    static final int MAX_TEMPLATES = 20_000;
    /** Versions one template may have had (Pinpoint's quota); a new version past it is refused. */
    static final int MAX_VERSIONS = 5_000;

    private static final String COLUMNS = "t.type, t.name, v.version, v.definition, v.created_ms, v.modified_ms";
    private static final RowMapper<StoredTemplate> MAPPER = (rs, ctx) -> new StoredTemplate(
            TemplateType.valueOf(rs.getString("type")), rs.getString("name"), rs.getInt("version"),
            (ObjectNode) Json.parseStored(rs.getString("definition")), Instant.ofEpochMilli(rs.getLong("created_ms")),
            Instant.ofEpochMilli(rs.getLong("modified_ms")));
    private static final String JOIN = " FROM templates t JOIN template_versions v ON v.name = t.name AND v.type = t.type";

    /**
     * How long a journey message's lookup of a template is reused ({@link #findRecent}): one read a second per
     * template instead of one per message; a change made on this node is seen at once, one made on another node
     * within this.
     */
    static final Duration LOOKUP_TTL = Duration.ofSeconds(1);
    private static final int LOOKUP_ENTRIES = 1_000;

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final Cache<LookupKey, Optional<StoredTemplate>> lookups = Caffeine.newBuilder()
            .maximumSize(LOOKUP_ENTRIES).expireAfterWrite(LOOKUP_TTL).build();

    private record LookupKey(TemplateType type, String name, Optional<Integer> version) {}

    public SqlTemplateStore(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
    }

    /** Stores version 1 of a new template with its tags; false when one of that name and type exists. */
    public boolean create(StoredTemplate first, Map<String, String> tags) {
        return changing(handle -> {
            if (handle.createQuery("SELECT 1 FROM templates WHERE name = :name AND type = :type")
                    .bind("name", first.name()).bind("type", first.type().name()).mapTo(Integer.class).findOne()
                    .isPresent()) {
                return false;
            }
            long count = handle.createQuery("SELECT count(*) FROM templates").mapTo(Long.class).one();
            if (count >= MAX_TEMPLATES) {
                throw new RuleViolation("An account can have at most " + MAX_TEMPLATES
                        + " message templates; delete one first");
            }
            handle.createUpdate("INSERT INTO templates (type, name, active_version, last_version, created_ms) "
                            + "VALUES (:type, :name, 1, 1, :created)")
                    .bind("type", first.type().name()).bind("name", first.name())
                    .bind("created", first.created().toEpochMilli()).execute();
            insertVersion(handle, first);
            TagRows.put(handle, Arns.templateTagId(first.type().name(), first.name()), tags);
            return true;
        });
    }

    /** The template at {@code version}, else at its active version; empty when either is absent. */
    public Optional<StoredTemplate> find(TemplateType type, String name, Optional<Integer> version) {
        return jdbi.withHandle(handle -> {
            Query query = handle.createQuery("SELECT " + COLUMNS + JOIN + " WHERE t.name = :name AND t.type = :type "
                            + (version.isPresent() ? "AND v.version = :version" : "AND v.version = t.active_version"))
                    .bind("name", name).bind("type", type.name());
            version.ifPresent(number -> query.bind("version", number));
            return query.map(MAPPER).findOne();
        });
    }

    /**
     * As {@link #find}, read from the store at most once per {@link #LOOKUP_TTL}; each caller gets its own copy of
     * the definition, which rendering may not share between threads.
     */
    public Optional<StoredTemplate> findRecent(TemplateType type, String name, Optional<Integer> version) {
        return lookups.get(new LookupKey(type, name, version), key -> find(type, name, version))
                .map(stored -> new StoredTemplate(stored.type(), stored.name(), stored.version(),
                        stored.definition().deepCopy(), stored.created(), stored.modified()));
    }

    /** A change in one transaction; every reused lookup is dropped once it is over, committed or not. */
    private <T> T changing(HandleCallback<T, RuntimeException> change) {
        try {
            return jdbi.inTransaction(change);
        } finally {
            lookups.invalidateAll();
        }
    }

    /** The number of the template's latest version (the highest that exists); empty when there is no template. */
    public Optional<Integer> latestVersion(TemplateType type, String name) {
        return jdbi.withHandle(handle -> latest(handle, type, name));
    }

    /**
     * Writes a new version ({@code newVersion}) or replaces the latest one, which must be {@code expected} when given;
     * empty when the template does not exist.
     */
    public Optional<StoredTemplate> update(TemplateType type, String name, ObjectNode definition, boolean newVersion,
                                           Optional<Integer> expected, Instant at) {
        return changing(handle -> {
            Optional<Integer> last = lock(handle, type, name);
            if (last.isEmpty()) {
                return Optional.empty();
            }
            int latest = latest(handle, type, name).orElseThrow();
            if (expected.isPresent() && expected.get() != latest) {
                throw new RuleViolation("version " + expected.get() + " is not the latest version of template '"
                        + name + "' (" + latest + "); an update may only replace the latest version");
            }
            if (newVersion) {
                int version = last.get() + 1;
                if (version > MAX_VERSIONS) {
                    throw new RuleViolation("Template '" + name + "' has had " + MAX_VERSIONS
                            + " versions, as many as a template may have; create a new template instead");
                }
                handle.createUpdate("UPDATE templates SET last_version = :version WHERE name = :name AND type = :type")
                        .bind("version", version).bind("name", name).bind("type", type.name()).execute();
                StoredTemplate next = new StoredTemplate(type, name, version, definition, at, at);
                insertVersion(handle, next);
                return Optional.of(next);
            }
            StoredTemplate current = version(handle, type, name, latest).orElseThrow();
            handle.createUpdate("UPDATE template_versions SET definition = :definition, modified_ms = :modified "
                            + "WHERE name = :name AND type = :type AND version = :version")
                    .bind("definition", definition.toString()).bind("modified", at.toEpochMilli())
                    .bind("name", name).bind("type", type.name()).bind("version", latest).execute();
            return Optional.of(new StoredTemplate(type, name, latest, definition, current.created(), at));
        });
    }

    /** Makes {@code version} (or the latest when empty) the active one; false when the template or it is absent. */
    public boolean activate(TemplateType type, String name, Optional<Integer> version) {
        return changing(handle -> {
            if (lock(handle, type, name).isEmpty()) {
                return false;
            }
            int chosen = version.isPresent() ? version.get() : latest(handle, type, name).orElseThrow();
            if (version(handle, type, name, chosen).isEmpty()) {
                return false;
            }
            handle.createUpdate("UPDATE templates SET active_version = :version WHERE name = :name AND type = :type")
                    .bind("version", chosen).bind("name", name).bind("type", type.name()).execute();
            return true;
        });
    }

    /** What {@link #delete} did. */
    public enum Deleted { TEMPLATE, VERSION, NO_TEMPLATE, NO_VERSION }

    /**
     * Deletes one version, or the whole template with its versions and tags when {@code version} is empty or names
     * its only version. The active version of several cannot be deleted alone: nothing would be left to send.
     */
    public Deleted delete(TemplateType type, String name, Optional<Integer> version) {
        return changing(handle -> {
            if (lock(handle, type, name).isEmpty()) {
                return Deleted.NO_TEMPLATE;
            }
            if (version.isPresent()) {
                if (version(handle, type, name, version.get()).isEmpty()) {
                    return Deleted.NO_VERSION;
                }
                long versions = handle.createQuery("SELECT count(*) FROM template_versions WHERE name = :name "
                                + "AND type = :type").bind("name", name).bind("type", type.name())
                        .mapTo(Long.class).one();
                if (versions > 1) {
                    int active = handle.createQuery("SELECT active_version FROM templates WHERE name = :name "
                                    + "AND type = :type").bind("name", name).bind("type", type.name())
                            .mapTo(Integer.class).one();
                    if (active == version.get()) {
                        throw new RuleViolation("Version " + active + " is the active version of template '" + name
                                + "'; make another version active first (UpdateTemplateActiveVersion)");
                    }
                    handle.createUpdate("DELETE FROM template_versions WHERE name = :name AND type = :type "
                                    + "AND version = :version").bind("name", name).bind("type", type.name())
                            .bind("version", version.get()).execute();
                    return Deleted.VERSION;
                }
            }
            handle.createUpdate("DELETE FROM template_versions WHERE name = :name AND type = :type")
                    .bind("name", name).bind("type", type.name()).execute();
            handle.createUpdate("DELETE FROM templates WHERE name = :name AND type = :type")
                    .bind("name", name).bind("type", type.name()).execute();
            // Tags have no foreign key, so ON DELETE CASCADE does not reach them.
            handle.createUpdate("DELETE FROM tags WHERE resource_id = :id")
                    .bind("id", Arns.templateTagId(type.name(), name)).execute();
            return Deleted.TEMPLATE;
        });
    }

    /**
     * A batch of the account's templates at their active versions, by name then type, after {@code after} (whose id
     * is {@code name/TYPE}); only those whose name starts with {@code prefix} and of {@code type} when given.
     */
    public Page<StoredTemplate> list(Optional<String> prefix, Optional<TemplateType> type, Optional<PageCursor> after,
                                     int limit) {
        List<StoredTemplate> rows = jdbi.withHandle(handle -> {
            StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + JOIN
                    + " AND v.version = t.active_version WHERE 1 = 1");
            prefix.ifPresent(value -> sql.append(" AND substr(t.name, 1, :length) = :prefix"));
            type.ifPresent(value -> sql.append(" AND t.type = :type"));
            after.ifPresent(cursor -> sql.append(" AND (t.name, t.type) > (:afterName, :afterType)"));
            Query query = handle.createQuery(sql.append(" ORDER BY t.name, t.type LIMIT :limit").toString())
                    .bind("limit", limit + 1);
            prefix.ifPresent(value -> query.bind("length", value.length()).bind("prefix", value));
            type.ifPresent(value -> query.bind("type", value.name()));
            after.ifPresent(cursor -> {
                int slash = cursor.id().lastIndexOf('/');
                query.bind("afterName", cursor.id().substring(0, Math.max(slash, 0)))
                        .bind("afterType", cursor.id().substring(slash + 1));
            });
            return query.map(MAPPER).list();
        });
        return Page.of(rows, limit, row -> new PageCursor(0, row.name() + "/" + row.type().name()));
    }

    /** A batch of one template's versions, oldest first. */
    public Page<StoredTemplate> versions(TemplateType type, String name, Optional<PageCursor> after, int limit) {
        List<StoredTemplate> rows = jdbi.withHandle(handle -> {
            Query query = handle.createQuery("SELECT " + COLUMNS + JOIN + " WHERE t.name = :name AND t.type = :type"
                            + (after.isPresent() ? " AND v.version > :after" : "") + " ORDER BY v.version LIMIT :limit")
                    .bind("name", name).bind("type", type.name()).bind("limit", limit + 1);
            after.ifPresent(cursor -> query.bind("after", (int) cursor.position()));
            return query.map(MAPPER).list();
        });
        return Page.of(rows, limit, row -> new PageCursor(row.version(), row.name()));
    }

    /** Whether the template exists (tags ask). */
    public boolean exists(TemplateType type, String name) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT 1 FROM templates WHERE name = :name AND type = :type")
                .bind("name", name).bind("type", type.name()).mapTo(Integer.class).findOne().isPresent());
    }

    /** Locks the template's row until the transaction ends; its last version number, empty when there is none. */
    private Optional<Integer> lock(Handle handle, TemplateType type, String name) {
        return handle.createQuery("SELECT last_version FROM templates WHERE name = :name AND type = :type"
                        + dialect.lockRowSuffix())
                .bind("name", name).bind("type", type.name()).mapTo(Integer.class).findOne();
    }

    private static Optional<Integer> latest(Handle handle, TemplateType type, String name) {
        return Optional.ofNullable(handle.createQuery("SELECT max(version) FROM template_versions WHERE name = :name "
                        + "AND type = :type").bind("name", name).bind("type", type.name()).mapTo(Integer.class).one());
    }

    private static Optional<StoredTemplate> version(Handle handle, TemplateType type, String name, int version) {
        return handle.createQuery("SELECT " + COLUMNS + JOIN + " WHERE t.name = :name AND t.type = :type "
                        + "AND v.version = :version")
                .bind("name", name).bind("type", type.name()).bind("version", version).map(MAPPER).findOne();
    }

    private static void insertVersion(Handle handle, StoredTemplate template) {
        handle.createUpdate("INSERT INTO template_versions (type, name, version, definition, created_ms, modified_ms) "
                        + "VALUES (:type, :name, :version, :definition, :created, :modified)")
                .bind("type", template.type().name()).bind("name", template.name())
                .bind("version", template.version()).bind("definition", template.definition().toString())
                .bind("created", template.created().toEpochMilli())
                .bind("modified", template.modified().toEpochMilli()).execute();
    }
}
