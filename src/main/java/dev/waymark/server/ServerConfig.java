package dev.waymark.server;

import dev.waymark.analytics.EventStreamDeliverer;
import dev.waymark.audience.JobSettings;
import dev.waymark.auth.SecuritySettings;
import dev.waymark.engine.EngineSettings;
import dev.waymark.messaging.DeliverySettings;
import dev.waymark.messaging.OutboxSender;
import dev.waymark.runs.SchedulerSettings;
import dev.waymark.store.sql.StoreLocation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Everything a Waymark server is started with. */
public record ServerConfig(
        String bind,
        int port,
        StoreLocation store,
        String region,
        String accountId,
        long maxBodyBytes,
        int maxActivities,
        Duration minRefreshFrequency,
        SchedulerSettings scheduler,
        SecuritySettings security,
        long runPageCacheBytes,
        JobSettings jobs,
        DeliverySettings delivery,
        OutboxSender.Settings outbox,
        EventStreamDeliverer.Settings eventStream,
        EngineSettings engine) {

    public static final String DEFAULT_ACCOUNT_ID = "000000000000";
    public static final long DEFAULT_MAX_BODY_BYTES = 7L * 1024 * 1024;
    public static final long DEFAULT_RUN_PAGE_CACHE_BYTES = 32L * 1024 * 1024;

    /** As configured before delivery existed: no transport, the outbox's defaults. */
    public ServerConfig(String bind, int port, StoreLocation store, String region, String accountId, long maxBodyBytes,
                        int maxActivities, Duration minRefreshFrequency, SchedulerSettings scheduler,
                        SecuritySettings security, long runPageCacheBytes, JobSettings jobs) {
        this(bind, port, store, region, accountId, maxBodyBytes, maxActivities, minRefreshFrequency, scheduler,
                security, runPageCacheBytes, jobs, DeliverySettings.NONE, OutboxSender.Settings.DEFAULTS);
    }

    /** As configured before the event stream was delivered: its defaults. */
    public ServerConfig(String bind, int port, StoreLocation store, String region, String accountId, long maxBodyBytes,
                        int maxActivities, Duration minRefreshFrequency, SchedulerSettings scheduler,
                        SecuritySettings security, long runPageCacheBytes, JobSettings jobs, DeliverySettings delivery,
                        OutboxSender.Settings outbox) {
        this(bind, port, store, region, accountId, maxBodyBytes, maxActivities, minRefreshFrequency, scheduler,
                security, runPageCacheBytes, jobs, delivery, outbox, EventStreamDeliverer.Settings.DEFAULTS,
                EngineSettings.DEFAULTS);
    }

    /** As configured, with the journey engine working as {@code newEngine} says. */
    public ServerConfig withEngine(EngineSettings newEngine) {
        return new ServerConfig(bind, port, store, region, accountId, maxBodyBytes, maxActivities,
                minRefreshFrequency, scheduler, security, runPageCacheBytes, jobs, delivery, outbox, eventStream,
                newEngine);
    }

    /** Defaults for an embedded server on a data directory; port 0 picks a free port. */
    public static ServerConfig defaults(Path dataDir, int port) {
        return new ServerConfig("127.0.0.1", port, StoreLocation.of(dataDir, null), "us-east-1", DEFAULT_ACCOUNT_ID,
                DEFAULT_MAX_BODY_BYTES, 40, Duration.ofMinutes(1), SchedulerSettings.DEFAULTS,
                SecuritySettings.DEFAULTS, DEFAULT_RUN_PAGE_CACHE_BYTES, JobSettings.DEFAULTS);
    }

    public Path dataDir() {
        return store.dataDir();
    }

    public String dbUrl() {
        return store.dbUrl();
    }

    public String jdbcUrl() {
        return store.jdbcUrl();
    }

    public Optional<String> dbUser() {
        return store.user();
    }

    public Optional<String> dbPassword() {
        return store.password();
    }

    public ServerConfig withDbUrl(String url) {
        return new ServerConfig(bind, port, store.withDbUrl(url), region, accountId, maxBodyBytes, maxActivities,
                minRefreshFrequency, scheduler, security, runPageCacheBytes, jobs, delivery, outbox, eventStream,
                engine);
    }

    public ServerConfig withMaxBodyBytes(long bytes) {
        return new ServerConfig(bind, port, store, region, accountId, bytes, maxActivities,
                minRefreshFrequency, scheduler, security, runPageCacheBytes, jobs, delivery, outbox, eventStream,
                engine);
    }

    public ServerConfig withMinRefreshFrequency(Duration minimum) {
        return new ServerConfig(bind, port, store, region, accountId, maxBodyBytes, maxActivities,
                minimum, scheduler, security, runPageCacheBytes, jobs, delivery, outbox, eventStream,
                engine);
    }

    public ServerConfig withSecurity(SecuritySettings newSecurity) {
        return new ServerConfig(bind, port, store, region, accountId, maxBodyBytes, maxActivities,
                minRefreshFrequency, scheduler, newSecurity, runPageCacheBytes, jobs, delivery, outbox, eventStream,
                engine);
    }

    public ServerConfig withJobs(JobSettings newJobs) {
        return new ServerConfig(bind, port, store, region, accountId, maxBodyBytes, maxActivities,
                minRefreshFrequency, scheduler, security, runPageCacheBytes, newJobs, delivery, outbox, eventStream,
                engine);
    }

    /** As configured, with messages delivered where {@code newDelivery} says. */
    public ServerConfig withDelivery(DeliverySettings newDelivery) {
        return new ServerConfig(bind, port, store, region, accountId, maxBodyBytes, maxActivities,
                minRefreshFrequency, scheduler, security, runPageCacheBytes, jobs, newDelivery, outbox, eventStream,
                engine);
    }

    /** As configured, with the outbox's senders working as {@code newOutbox} says (lease, retention, ...). */
    public ServerConfig withOutbox(OutboxSender.Settings newOutbox) {
        return new ServerConfig(bind, port, store, region, accountId, maxBodyBytes, maxActivities,
                minRefreshFrequency, scheduler, security, runPageCacheBytes, jobs, delivery, newOutbox, eventStream,
                engine);
    }

    /** As configured, with the event stream delivered as {@code newEventStream} says (endpoint, back-off). */
    public ServerConfig withEventStream(EventStreamDeliverer.Settings newEventStream) {
        return new ServerConfig(bind, port, store, region, accountId, maxBodyBytes, maxActivities,
                minRefreshFrequency, scheduler, security, runPageCacheBytes, jobs, delivery, outbox, newEventStream,
                engine);
    }

    /** As configured, with {@code file://} imports allowed under {@code directory}. */
    public ServerConfig withImportDir(Path directory) {
        return withJobs(jobs.withImportDir(directory));
    }

    /** As configured, with {@code file://} exports allowed under {@code directory}. */
    public ServerConfig withExportDir(Path directory) {
        return withJobs(jobs.withExportDir(directory));
    }
}
