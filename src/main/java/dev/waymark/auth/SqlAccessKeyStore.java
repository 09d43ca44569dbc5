package dev.waymark.auth;

import dev.waymark.store.sql.Dialect;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** Access keys in a SQL database. */
public final class SqlAccessKeyStore implements AccessKeyStore {
    private static final RowMapper<AccessKey> MAPPER = (rs, ctx) -> {
        long revoked = rs.getLong("revoked_ms");
        Optional<Instant> revokedAt = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(revoked));
        String apps = rs.getString("apps");
        return new AccessKey(rs.getString("id"), rs.getString("secret"), rs.getBoolean("admin"),
                apps.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(apps.split(","))), rs.getBoolean("read_only"),
                Instant.ofEpochMilli(rs.getLong("created_ms")), revokedAt);
    };

    private final Jdbi jdbi;
    private final Dialect dialect;

    public SqlAccessKeyStore(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
    }

    @Override
    public void insert(AccessKey key) {
        jdbi.useHandle(handle -> insert(handle, key));
    }

    @Override
    public void seed(AccessKey key) {
        // One statement, so nodes seeding at once never collide; the WHERE keeps a revoked key revoked.
        jdbi.useHandle(handle -> bind(handle.createUpdate("INSERT INTO access_keys "
                        + "(id, secret, admin, apps, read_only, created_ms, revoked_ms) "
                        + "VALUES (:id, :secret, :admin, :apps, :readOnly, :created, :revoked) ON CONFLICT (id) DO "
                        + "UPDATE SET secret = excluded.secret, admin = excluded.admin, apps = excluded.apps, "
                        + "read_only = excluded.read_only WHERE access_keys.revoked_ms IS NULL"), key).execute());
    }

    @Override
    public Optional<AccessKey> find(String id) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM access_keys WHERE id = :id")
                .bind("id", id).map(MAPPER).findOne());
    }

    @Override
    public List<AccessKey> list() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM access_keys ORDER BY created_ms, id")
                .map(MAPPER).list());
    }

    @Override
    public boolean revoke(String id, Instant at) {
        return jdbi.withHandle(handle -> handle.createUpdate(
                        "UPDATE access_keys SET revoked_ms = :at WHERE id = :id AND revoked_ms IS NULL")
                .bind("at", at.toEpochMilli()).bind("id", id).execute()) == 1;
    }

    @Override
    public boolean insertIfNone(AccessKey key) {
        return jdbi.inTransaction(handle -> {
            // Without it two nodes starting on an empty PostgreSQL store would each count no key and create one.
            dialect.lockForTransaction(handle, "access_keys");
            if (handle.createQuery("SELECT COUNT(*) FROM access_keys").mapTo(Integer.class).one() > 0) {
                return false;
            }
            insert(handle, key);
            return true;
        });
    }

    private static void insert(Handle handle, AccessKey key) {
        bind(handle.createUpdate("INSERT INTO access_keys (id, secret, admin, apps, read_only, created_ms, revoked_ms) "
                        + "VALUES (:id, :secret, :admin, :apps, :readOnly, :created, :revoked)"), key).execute();
    }

    private static org.jdbi.v3.core.statement.Update bind(org.jdbi.v3.core.statement.Update update, AccessKey key) {
        return update.bind("id", key.id()).bind("secret", key.secret()).bind("admin", key.admin())
                .bind("apps", key.apps().stream().sorted().collect(Collectors.joining(",")))
                .bind("readOnly", key.readOnly()).bind("created", key.createdAt().toEpochMilli())
                .bindByType("revoked", key.revokedAt().map(Instant::toEpochMilli).orElse(null), Long.class);
    }
}
