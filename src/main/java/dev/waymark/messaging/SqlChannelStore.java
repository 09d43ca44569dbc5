package dev.waymark.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.waymark.store.sql.Dialect;
import dev.waymark.wire.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * An app's channels in a SQL database, one row each (table {@code channels}). An update locks the app's row first,
 * then the channel's, as DeleteApp does, so that a channel is never written for an app being deleted. Senders read
 * through {@link ChannelLookup}, cached for a second: a change made on this node is seen at once, one made on another
 * node within {@link #LOOKUP_TTL}.
 */
public final class SqlChannelStore implements ChannelLookup {
    /** How long a sender's view of a channel may lag a change made on another node. */
    static final Duration LOOKUP_TTL = Duration.ofSeconds(1);
    /** Channels whose state senders keep at once: ten per app, for the busiest thousand apps. */
    private static final int LOOKUP_ENTRIES = 10_000;

    private static final String COLUMNS = "app_id, type, enabled, settings, credentials, version, created_ms, "
            + "modified_ms, modified_by";
    private static final RowMapper<StoredChannel> MAPPER = (rs, ctx) -> new StoredChannel(rs.getString("app_id"),
            ChannelKind.valueOf(rs.getString("type")), rs.getBoolean("enabled"),
            (ObjectNode) Json.parseStored(rs.getString("settings")), names(rs.getString("credentials")),
            rs.getInt("version"), Instant.ofEpochMilli(rs.getLong("created_ms")),
            Instant.ofEpochMilli(rs.getLong("modified_ms")), Optional.ofNullable(rs.getString("modified_by")));

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final Cache<String, Optional<ChannelState>> lookups = Caffeine.newBuilder()
            .maximumSize(LOOKUP_ENTRIES).expireAfterWrite(LOOKUP_TTL).build();

    public SqlChannelStore(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
    }

    /**
     * Applies an update: creates the channel at version 1 (enabled unless the update says otherwise), or merges it
     * into the stored one and counts one more version. Empty when the app does not exist.
     */
    public Optional<StoredChannel> update(String appId, ChannelUpdate update, Instant at, Optional<String> by) {
        ChannelKind kind = update.kind();
        Optional<StoredChannel> written = jdbi.inTransaction(handle -> {
            if (handle.createQuery("SELECT id FROM apps WHERE id = :app" + dialect.lockRowSuffix())
                    .bind("app", appId).mapTo(String.class).findOne().isEmpty()) {
                return Optional.empty();
            }
            Optional<StoredChannel> current = read(handle, appId, kind, dialect.lockRowSuffix());
            StoredChannel next = current.map(stored -> new StoredChannel(appId, kind,
                            update.enabled().orElse(stored.enabled()), update.settingsOver(stored.settings()),
                            update.credentials(), stored.version() + 1, stored.created(), at, by))
                    .orElseGet(() -> new StoredChannel(appId, kind, update.enabled().orElse(true),
                            update.settings(), update.credentials(), 1, at, at, by));
            String sql = current.isPresent()
                    ? "UPDATE channels SET enabled = :enabled, settings = :settings, credentials = :credentials, "
                            + "version = :version, modified_ms = :modified, modified_by = :by "
                            + "WHERE app_id = :app AND type = :type"
                    : "INSERT INTO channels (" + COLUMNS + ") VALUES (:app, :type, :enabled, :settings, "
                            + ":credentials, :version, :created, :modified, :by)";
            handle.createUpdate(sql).bind("app", appId).bind("type", kind.name()).bind("enabled", next.enabled())
                    .bind("settings", next.settings().toString()).bind("credentials", json(next.credentials()))
                    .bind("version", next.version()).bind("created", next.created().toEpochMilli())
                    .bind("modified", at.toEpochMilli()).bindByType("by", by.orElse(null), String.class).execute();
            return Optional.of(next);
        });
        lookups.invalidate(key(appId, kind.name()));
        return written;
    }

    /** The app's channel of this kind, if it was ever updated (and not deleted since). */
    public Optional<StoredChannel> read(String appId, ChannelKind kind) {
        return jdbi.withHandle(handle -> read(handle, appId, kind, ""));
    }

    /** The app's channels, in the order of {@link ChannelKind}'s names; at most ten. */
    public List<StoredChannel> list(String appId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM channels "
                + "WHERE app_id = :app ORDER BY type").bind("app", appId).map(MAPPER).list());
    }

    /** Deletes the app's channel of this kind; the channel as it was, empty when there was none. */
    public Optional<StoredChannel> delete(String appId, ChannelKind kind) {
        Optional<StoredChannel> deleted = jdbi.inTransaction(handle -> {
            Optional<StoredChannel> current = read(handle, appId, kind, dialect.lockRowSuffix());
            current.ifPresent(stored -> handle.createUpdate("DELETE FROM channels WHERE app_id = :app AND type = :type")
                    .bind("app", appId).bind("type", kind.name()).execute());
            return current;
        });
        lookups.invalidate(key(appId, kind.name()));
        return deleted;
    }

    @Override
    public Optional<ChannelState> find(String appId, String type) {
        if (ChannelKind.named(type).isEmpty()) {
            return Optional.empty();
        }
        Optional<ChannelState> state = lookups.get(key(appId, type),
                ignored -> read(appId, ChannelKind.valueOf(type)).map(StoredChannel::state));
        // Each caller gets its own settings: a sender that changed them would change them for every other.
        return state.map(found -> new ChannelState(found.type(), found.enabled(), found.settings().deepCopy()));
    }

    private static Optional<StoredChannel> read(Handle handle, String appId, ChannelKind kind, String lock) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM channels WHERE app_id = :app AND type = :type" + lock)
                .bind("app", appId).bind("type", kind.name()).map(MAPPER).findOne();
    }

    private static String key(String appId, String type) {
        return appId + "/" + type;
    }

    private static String json(SortedSet<String> names) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        names.forEach(array::add);
        return array.toString();
    }

    private static SortedSet<String> names(String json) {
        SortedSet<String> names = new TreeSet<>();
        for (JsonNode name : Json.parseStored(json)) {
            names.add(name.textValue());
        }
        return names;
    }
}
