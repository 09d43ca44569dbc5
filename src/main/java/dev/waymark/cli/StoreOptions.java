package dev.waymark.cli;

import dev.waymark.server.ServerConfig;
import dev.waymark.store.sql.SqlStore;
import dev.waymark.store.sql.SqliteDataDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the store is: the flags that {@code serve}, {@code keys} and friends share. */
public final class StoreOptions {
    @Option(names = "--data-dir", defaultValue = "waymark-data",
            description = "Directory of the embedded SQLite store (WAYMARK_DATA_DIR, default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--db-url",
            description = "JDBC URL of the store instead of the data directory: jdbc:sqlite:FILE, or "
                    + "jdbc:postgresql://HOST:PORT/DB for several nodes; user and password from the URL or "
                    + "WAYMARK_DB_USER and WAYMARK_DB_PASSWORD (WAYMARK_DB_URL).")
    String dbUrl;

    /** The JDBC URL these options name. */
    String jdbcUrl() {
        if (dbUrl != null && !dbUrl.isBlank()) {
            return dbUrl;
        }
        return "jdbc:sqlite:" + dataDir.resolve("waymark.db").toAbsolutePath();
    }

    /** Opens an existing store, for commands that work beside a running server. */
    SqlStore openExisting() {
        if ((dbUrl == null || dbUrl.isBlank()) && !Files.exists(dataDir.resolve("waymark.db"))) {
            throw new IllegalArgumentException("no Waymark store in " + dataDir.toAbsolutePath()
                    + "; start the server once, or pass --data-dir or --db-url");
        }
        return open();
    }

    /** Opens (and creates, when new) the store these options name; user and password may come from the environment. */
    SqlStore open() {
        if (dbUrl == null || dbUrl.isBlank()) {
            try {
                SqliteDataDirectory.prepare(dataDir);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot create the data directory " + dataDir + ": " + e.getMessage());
            }
        }
        return SqlStore.open(jdbcUrl(), ServerConfig.environment("WAYMARK_DB_USER"),
                ServerConfig.environment("WAYMARK_DB_PASSWORD"));
    }
}
