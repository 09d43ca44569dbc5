package dev.waymark.store.sql;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a store is and how to log in to it: the one place that turns a data directory or a {@code --db-url} into a
 * JDBC URL, used by the server and by every command.
 *
 * @param dataDir  directory of the embedded SQLite store, used when {@code dbUrl} is absent
 * @param dbUrl    an explicit JDBC URL, or null
 * @param user     the database user when the URL has none
 * @param password the database password when the URL has none
 */
public record StoreLocation(Path dataDir, String dbUrl, Optional<String> user, Optional<String> password) {
    public StoreLocation {
        user = user.filter(value -> !value.isBlank());
        password = password.filter(value -> !value.isBlank());
    }

    /** The embedded store in {@code dataDir}, or {@code dbUrl} when given; credentials from the URL. */
    public static StoreLocation of(Path dataDir, String dbUrl) {
        return new StoreLocation(dataDir, dbUrl, Optional.empty(), Optional.empty());
    }

    /** True for the SQLite file in the data directory, the default. */
    public boolean embedded() {
        return dbUrl == null || dbUrl.isBlank();
    }

    /** The JDBC URL: the explicit one, or the SQLite file in the data directory as an absolute path. */
    public String jdbcUrl() {
        return embedded() ? "jdbc:sqlite:" + dataDir.resolve(SqliteDataDirectory.DATABASE).toAbsolutePath() : dbUrl;
    }

    /** What a person reads at start-up: the kind of store and where it is, never a password. */
    public String describe() {
        if (embedded()) {
            return "SQLite " + dataDir.resolve(SqliteDataDirectory.DATABASE).toAbsolutePath().normalize();
        }
        Dialect dialect = Dialect.of(dbUrl);
        String withoutQuery = dbUrl.contains("?") ? dbUrl.substring(0, dbUrl.indexOf('?')) : dbUrl;
        return (dialect == Dialect.POSTGRESQL ? "PostgreSQL " : "SQLite ") + withoutQuery.replaceFirst("//[^/@]*@", "//");
    }

    public StoreLocation withDbUrl(String url) {
        return new StoreLocation(dataDir, url, user, password);
    }
}
