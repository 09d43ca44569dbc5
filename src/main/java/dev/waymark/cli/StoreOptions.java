package dev.waymark.cli;

import dev.waymark.store.sql.SqlStore;
import dev.waymark.store.sql.SqliteDataDirectory;
import dev.waymark.store.sql.StoreLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where the store is: the flags that {@code serve}, {@code keys} and friends share. */
public final class StoreOptions {
    @Option(names = "--data-dir", defaultValue = "waymark-data",
            description = "Directory of the embedded SQLite store, relative to the working directory "
                    + "(WAYMARK_DATA_DIR, default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--db-url",
            description = "JDBC URL of the store instead of the data directory: jdbc:sqlite:FILE, or "
                    + "jdbc:postgresql://HOST:PORT/DB for several nodes; user and password from the URL or "
                    + "WAYMARK_DB_USER and WAYMARK_DB_PASSWORD (WAYMARK_DB_URL).")
    String dbUrl;

    // Credentials are settings of the environment or the config file (db-user=, db-password=); hidden as flags
    // because a password on a command line is visible to every user of the machine.
    @Option(names = "--db-user", hidden = true)
    String dbUser;

    @Option(names = "--db-password", hidden = true)
    String dbPassword;

    /** The store these options name. */
    StoreLocation location() {
        return new StoreLocation(dataDir, dbUrl, Optional.ofNullable(dbUser), Optional.ofNullable(dbPassword));
    }

    /** The JDBC URL these options name. */
    String jdbcUrl() {
        return location().jdbcUrl();
    }

    /** Opens an existing store, for commands that work beside a running server. */
    SqlStore openExisting() {
        if (location().embedded() && !Files.exists(dataDir.resolve(SqliteDataDirectory.DATABASE))) {
            throw new IllegalArgumentException("no Waymark store in " + dataDir.toAbsolutePath().normalize()
                    + "; start the server once, or pass --data-dir or --db-url");
        }
        return open();
    }

    /** Opens (and creates, when new) the store these options name. */
    SqlStore open() {
        StoreLocation location = location();
        if (location.embedded()) {
            try {
                SqliteDataDirectory.prepare(dataDir);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot create the data directory " + dataDir + ": " + e.getMessage());
            }
        }
        return SqlStore.open(location.jdbcUrl(), location.user(), location.password());
    }
}
