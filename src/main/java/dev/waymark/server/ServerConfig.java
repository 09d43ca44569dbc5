package dev.waymark.server;

import dev.waymark.auth.SecuritySettings;
import dev.waymark.scheduler.SchedulerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Everything a Waymark server is started with. */
public record ServerConfig(
        String bind,
        int port,
        Path dataDir,
        String dbUrl,
        String region,
        String accountId,
        long maxBodyBytes,
        int maxActivities,
        Duration minRefreshFrequency,
        SchedulerSettings scheduler,
        SecuritySettings security,
        long runPageCacheBytes) {

    public static final String DEFAULT_ACCOUNT_ID = "000000000000";
    public static final long DEFAULT_MAX_BODY_BYTES = 7L * 1024 * 1024;
    public static final long DEFAULT_RUN_PAGE_CACHE_BYTES = 32L * 1024 * 1024;

    /** Defaults for an embedded server on a data directory; port 0 picks a free port. */
    public static ServerConfig defaults(Path dataDir, int port) {
        return new ServerConfig("127.0.0.1", port, dataDir, null, "us-east-1", DEFAULT_ACCOUNT_ID,
                DEFAULT_MAX_BODY_BYTES, 40, Duration.ofMinutes(1), SchedulerSettings.DEFAULTS,
                SecuritySettings.DEFAULTS, DEFAULT_RUN_PAGE_CACHE_BYTES);
    }

    /** The JDBC URL of the store: the explicit one, or the SQLite file in the data directory. */
    public String jdbcUrl() {
        if (dbUrl != null && !dbUrl.isBlank()) {
            return dbUrl;
        }
        return "jdbc:sqlite:" + dataDir.resolve("waymark.db").toAbsolutePath();
    }

    /** The database user when the URL has none: {@code WAYMARK_DB_USER}. */
    public Optional<String> dbUser() {
        return environment("WAYMARK_DB_USER");
    }

    /** The database password when the URL has none: {@code WAYMARK_DB_PASSWORD}. */
    public Optional<String> dbPassword() {
        return environment("WAYMARK_DB_PASSWORD");
    }

    /** A non-blank environment variable. */
    public static Optional<String> environment(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(value -> !value.isBlank());
    }

    public ServerConfig withDbUrl(String url) {
        return new ServerConfig(bind, port, dataDir, url, region, accountId, maxBodyBytes, maxActivities,
                minRefreshFrequency, scheduler, security, runPageCacheBytes);
    }

    public ServerConfig withMaxBodyBytes(long bytes) {
        return new ServerConfig(bind, port, dataDir, dbUrl, region, accountId, bytes, maxActivities,
                minRefreshFrequency, scheduler, security, runPageCacheBytes);
    }

    public ServerConfig withMinRefreshFrequency(Duration minimum) {
        return new ServerConfig(bind, port, dataDir, dbUrl, region, accountId, maxBodyBytes, maxActivities,
                minimum, scheduler, security, runPageCacheBytes);
    }

    public ServerConfig withSecurity(SecuritySettings newSecurity) {
        return new ServerConfig(bind, port, dataDir, dbUrl, region, accountId, maxBodyBytes, maxActivities,
                minRefreshFrequency, scheduler, newSecurity, runPageCacheBytes);
    }
}
