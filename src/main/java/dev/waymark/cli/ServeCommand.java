package dev.waymark.cli;

import dev.waymark.audience.JobSettings;
import dev.waymark.auth.SecuritySettings;
import dev.waymark.analytics.EventStreamDeliverer;
import dev.waymark.messaging.DeliverySettings;
import dev.waymark.engine.EngineSettings;
import dev.waymark.messaging.OutboxSender;
import dev.waymark.messaging.Transports;
import dev.waymark.ops.LogFormat;
import dev.waymark.runs.SchedulerSettings;
import dev.waymark.server.ServerConfig;
import dev.waymark.server.WaymarkServer;
import dev.waymark.store.sql.SqliteDataDirectory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code waymark serve}: run the server until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the Waymark server. Each flag can also be set with the environment variable shown.")
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "8080",
            description = "Port to listen on; 0 picks a free one (WAYMARK_PORT, default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1",
            description = "Address to listen on (WAYMARK_BIND, default ${DEFAULT-VALUE}).")
    String bind;

    @Mixin
    StoreOptions store;

    @Option(names = "--region", defaultValue = "us-east-1",
            description = "Region used in ARNs (WAYMARK_REGION, default ${DEFAULT-VALUE}).")
    String region;

    @Option(names = "--account-id", defaultValue = ServerConfig.DEFAULT_ACCOUNT_ID,
            description = "12-digit account id used in ARNs (WAYMARK_ACCOUNT_ID, default ${DEFAULT-VALUE}).")
    String accountId;

    @Option(names = "--max-body-bytes", defaultValue = "7340032",
            description = "Largest request body accepted; larger is PayloadTooLargeException "
                    + "(WAYMARK_MAX_BODY_BYTES, default ${DEFAULT-VALUE}, 7 MiB).")
    long maxBodyBytes;

    @Option(names = "--max-activities", defaultValue = "40",
            description = "Most activities an ACTIVE journey may have (WAYMARK_MAX_ACTIVITIES, default ${DEFAULT-VALUE}).")
    int maxActivities;

    @Option(names = "--min-refresh-frequency", defaultValue = "PT1M",
            description = "Shortest RefreshFrequency accepted, as an ISO 8601 duration "
                    + "(WAYMARK_MIN_REFRESH_FREQUENCY, default ${DEFAULT-VALUE}).")
    Duration minRefreshFrequency;

    @Option(names = "--scheduler-poll", defaultValue = "PT0.25S",
            description = "How often the run scheduler looks for due work; a run starts at most this late under "
                    + "normal load (WAYMARK_SCHEDULER_POLL, default ${DEFAULT-VALUE}).")
    Duration schedulerPoll;

    @Option(names = "--scheduler-sweep", defaultValue = "PT5S",
            description = "How often the scheduler checks that every journey with work due has an execution "
                    + "(WAYMARK_SCHEDULER_SWEEP, default ${DEFAULT-VALUE}).")
    Duration schedulerSweep;

    @Option(names = "--scheduler-heartbeat", defaultValue = "PT2S",
            description = "Heartbeat of running executions; one whose node stops beating for 4 heartbeats is taken "
                    + "over (WAYMARK_SCHEDULER_HEARTBEAT, default ${DEFAULT-VALUE}).")
    Duration schedulerHeartbeat;

    @Option(names = "--auth", defaultValue = "sigv4",
            description = "sigv4: every request must be signed with a Waymark access key; none: accept anything, "
                    + "for throwaway local use only (WAYMARK_AUTH, default ${DEFAULT-VALUE}). WAYMARK_ACCESS_KEY_ID and "
                    + "WAYMARK_SECRET_ACCESS_KEY, when set, seed the admin key.")
    String auth;

    @Option(names = "--clock-skew", defaultValue = "PT5M",
            description = "How far a request's X-Amz-Date may be from the server's clock (WAYMARK_CLOCK_SKEW, "
                    + "default ${DEFAULT-VALUE}).")
    Duration clockSkew;

    @Option(names = "--throttle-rate", defaultValue = "0",
            description = "Requests a second each access key may send on average; 0 turns throttling off "
                    + "(WAYMARK_THROTTLE_RATE, default ${DEFAULT-VALUE}).")
    double throttleRate;

    @Option(names = "--throttle-burst", defaultValue = "0",
            description = "Requests an access key may send at once above the rate; 0 means the rate itself "
                    + "(WAYMARK_THROTTLE_BURST, default ${DEFAULT-VALUE}).")
    int throttleBurst;

    @Option(names = "--max-in-flight", defaultValue = "128",
            description = "Requests in progress at once; more are refused with TooManyRequestsException "
                    + "(WAYMARK_MAX_IN_FLIGHT, default ${DEFAULT-VALUE}).")
    int maxInFlight;

    // The seeded admin key is a setting of the environment or the config file (access-key-id=,
    // secret-access-key=); hidden as flags because a secret on a command line is visible to every user.
    @Option(names = "--access-key-id", hidden = true)
    String seedKeyId;

    @Option(names = "--secret-access-key", hidden = true)
    String seedSecret;

    private SecuritySettings security() {
        SecuritySettings security = SecuritySettings.DEFAULTS.withThrottle(throttleRate, throttleBurst)
                .withMaxInFlight(maxInFlight).withMaxClockSkew(clockSkew);
        if (seedKeyId != null && !seedKeyId.isBlank() && seedSecret != null && !seedSecret.isBlank()) {
            security = security.withSeed(seedKeyId, seedSecret);
        }
        return auth.equals("none") ? security.withoutSignatures() : security;
    }

    @Option(names = "--run-page-cache-mb", defaultValue = "32",
            description = "Memory for GetJourneyRuns pages that can no longer change, kept encoded; 0 keeps none "
                    + "(WAYMARK_RUN_PAGE_CACHE_MB, default ${DEFAULT-VALUE}).")
    int runPageCacheMb;

    @Option(names = "--import-dir",
            description = "The only directory import jobs may read file:// URLs from; without it file:// imports are "
                    + "refused (WAYMARK_IMPORT_DIR).")
    Path importDir;

    @Option(names = "--export-dir",
            description = "The only directory export jobs may write file:// URLs to; without it file:// exports are "
                    + "refused (WAYMARK_EXPORT_DIR).")
    Path exportDir;

    @Option(names = "--s3-endpoint",
            description = "An S3-compatible server (MinIO, Ceph, ...) for s3:// import and export URLs, addressed "
                    + "path-style; without it AWS S3 in --region. Credentials come from the AWS SDK's usual chain "
                    + "(AWS_ACCESS_KEY_ID, profiles, instance roles) (WAYMARK_S3_ENDPOINT).")
    URI s3Endpoint;

    @Option(names = "--job-lease", defaultValue = "PT30S",
            description = "How long a node holds an import or export job without progress; a job whose node died is "
                    + "taken over by another (or by this one after a restart) once it ends (WAYMARK_JOB_LEASE, default "
                    + "${DEFAULT-VALUE}).")
    Duration jobLease;

    private JobSettings jobs() {
        JobSettings jobs = JobSettings.DEFAULTS.withLease(jobLease,
                Duration.ofMillis(Math.max(100, Math.min(1000, jobLease.toMillis() / 4))));
        if (importDir != null) {
            jobs = jobs.withImportDir(importDir.toAbsolutePath());
        }
        if (exportDir != null) {
            jobs = jobs.withExportDir(exportDir.toAbsolutePath());
        }
        if (s3Endpoint != null) {
            jobs = jobs.withS3Endpoint(s3Endpoint);
        }
        return jobs;
    }

    @Option(names = "--smtp-url",
            description = "Where email goes: smtp://[user:password@]host:port (STARTTLS when offered) or smtps://... "
                    + "(TLS); without it EMAIL messages fail, naming this flag. Prefer the environment for a password "
                    + "(WAYMARK_SMTP_URL).")
    URI smtpUrl;

    @Option(names = "--sms-webhook",
            description = "URL that receives one signed JSON POST per SMS message (WAYMARK_SMS_WEBHOOK).")
    URI smsWebhook;

    @Option(names = "--push-webhook",
            description = "URL that receives one signed JSON POST per push notification (WAYMARK_PUSH_WEBHOOK).")
    URI pushWebhook;

    @Option(names = "--voice-webhook",
            description = "URL that receives one signed JSON POST per voice message (WAYMARK_VOICE_WEBHOOK).")
    URI voiceWebhook;

    @Option(names = "--webhook-secret",
            description = "Key of the Waymark-Signature HMAC on every webhook request; required with a webhook. "
                    + "Prefer the environment or the config file (WAYMARK_WEBHOOK_SECRET).")
    String webhookSecret;

    @Option(names = "--allow-http-delivery",
            description = "Let webhooks and CUSTOM DeliveryUri be http://, for local use; otherwise https:// only "
                    + "(WAYMARK_ALLOW_HTTP_DELIVERY).")
    boolean allowHttpDelivery;

    @Option(names = "--lambda-endpoint",
            description = "A Lambda-compatible endpoint for CUSTOM activities that name a function; without it AWS "
                    + "Lambda, with the AWS SDK's usual credentials (WAYMARK_LAMBDA_ENDPOINT).")
    URI lambdaEndpoint;

    @Option(names = "--event-stream-endpoint",
            description = "A Kinesis- and Firehose-compatible endpoint for event streams whose DestinationStreamArn "
                    + "is a Kinesis or Firehose ARN; without it AWS's own, with the AWS SDK's usual credentials "
                    + "(WAYMARK_EVENT_STREAM_ENDPOINT).")
    URI eventStreamEndpoint;

    @Option(names = "--direct-send-wait", defaultValue = "PT10S",
            description = "How long SendMessages and SendUsersMessages wait for the transports' first answers "
                    + "before answering (WAYMARK_DIRECT_SEND_WAIT, default ${DEFAULT-VALUE}).")
    Duration directSendWait;

    @Option(names = "--outbox-lease", defaultValue = "PT90S",
            description = "How long a node holds a message it hands to a transport; a message whose node died "
                    + "during the hand-over is sent again, with the same idempotency key, after it "
                    + "(WAYMARK_OUTBOX_LEASE, default ${DEFAULT-VALUE}).")
    Duration outboxLease;

    @Option(names = "--outbox-retention", defaultValue = "P7D",
            description = "How long delivered, failed and withdrawn messages are kept (WAYMARK_OUTBOX_RETENTION, "
                    + "default ${DEFAULT-VALUE}).")
    Duration outboxRetention;

    @Option(names = "--participant-retention", defaultValue = "P30D",
            description = "How long the rows of participants who left a journey are kept (their counters stay); the "
                    + "row of a journey with a re-entry cap or interval is kept while the journey admits endpoints "
                    + "(WAYMARK_PARTICIPANT_RETENTION, default ${DEFAULT-VALUE}).")
    Duration participantRetention;

    @Option(names = "--engine-workers", defaultValue = "2",
            description = "Threads moving journey participants on PostgreSQL; SQLite has one writer and uses one "
                    + "(WAYMARK_ENGINE_WORKERS, default ${DEFAULT-VALUE}).")
    int engineWorkers;

    @Option(names = "--background-share", defaultValue = "0.2",
            description = "While requests keep a quarter of the cores busy (at least half a core), the part of the "
                    + "time the journey engine's threads, and the outbox's, may work, over 0 and at most 1; 1 lets "
                    + "them work at full speed whatever the requests (WAYMARK_BACKGROUND_SHARE, default "
                    + "${DEFAULT-VALUE}).")
    double backgroundShare;

    @Option(names = "--public-url",
            description = "Waymark's base URL as email recipients reach it (https://mail-links.example.com): emails to "
                    + "endpoints get tracked links, an open pixel and unsubscribe links under it; without it, no "
                    + "tracking (WAYMARK_PUBLIC_URL).")
    URI publicUrl;

    @Option(names = "--email-tracking", defaultValue = "on",
            description = "on or off: off keeps links and the open pixel out of every email while {{unsubscribeUrl}} "
                    + "still works (WAYMARK_EMAIL_TRACKING, default ${DEFAULT-VALUE}).")
    String emailTracking;

    /** Where messages go; null with the reason printed when a flag is wrong. */
    private DeliverySettings delivery() {
        if (directSendWait.isNegative() || directSendWait.compareTo(Duration.ofMinutes(1)) > 0) {
            System.err.println("waymark: --direct-send-wait must be between PT0S and PT1M, not " + directSendWait);
            return null;
        }
        DeliverySettings settings = new DeliverySettings(Optional.ofNullable(smtpUrl), Optional.ofNullable(smsWebhook),
                Optional.ofNullable(pushWebhook), Optional.ofNullable(voiceWebhook),
                Optional.ofNullable(webhookSecret).filter(secret -> !secret.isBlank()), allowHttpDelivery,
                Optional.ofNullable(lambdaEndpoint), directSendWait);
        if (!emailTracking.equals("on") && !emailTracking.equals("off")) {
            System.err.println("waymark: --email-tracking must be on or off, not '" + emailTracking + "'");
            return null;
        }
        if (publicUrl != null && (publicUrl.getHost() == null || !List.of("http", "https").contains(
                String.valueOf(publicUrl.getScheme()).toLowerCase(Locale.ROOT)) || publicUrl.getQuery() != null
                || publicUrl.getFragment() != null)) {
            System.err.println("waymark: --public-url must be an http:// or https:// URL without query or fragment, "
                    + "not " + publicUrl);
            return null;
        }
        settings = settings.withPublicUrl(Optional.ofNullable(publicUrl), emailTracking.equals("on"));
        try {
            // The transports' own rules, checked before anything starts: one line naming the flag at fault.
            Transports.check(settings);
        } catch (IllegalArgumentException e) {
            System.err.println("waymark: " + e.getMessage());
            return null;
        }
        return settings;
    }

    @Option(names = "--log-format", defaultValue = "text",
            description = "text (readable lines) or json (one JSON object per line) (WAYMARK_LOG_FORMAT, default "
                    + "${DEFAULT-VALUE}).")
    String logFormat;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            System.err.println("waymark: --port must be between 0 and 65535, not " + port);
            return 2;
        }
        if (!accountId.matches("[0-9]{12}")) {
            System.err.println("waymark: --account-id must be 12 digits, not '" + accountId + "'");
            return 2;
        }
        if (maxBodyBytes < 1 || maxActivities < 1) {
            System.err.println("waymark: --max-body-bytes and --max-activities must be positive");
            return 2;
        }
        for (Duration duration : new Duration[] {minRefreshFrequency, schedulerPoll, schedulerSweep, schedulerHeartbeat}) {
            if (duration.isNegative() || duration.isZero()) {
                System.err.println("waymark: durations must be positive, not " + duration);
                return 2;
            }
        }
        if (!logFormat.equals("text") && !logFormat.equals("json")) {
            System.err.println("waymark: --log-format must be text or json, not '" + logFormat + "'");
            return 2;
        }
        if (logFormat.equals("json")) {
            LogFormat.useJson();
        }
        if (!auth.equals("sigv4") && !auth.equals("none")) {
            System.err.println("waymark: --auth must be sigv4 or none, not '" + auth + "'");
            return 2;
        }
        if (runPageCacheMb < 0) {
            System.err.println("waymark: --run-page-cache-mb must not be negative, not " + runPageCacheMb);
            return 2;
        }
        if (throttleRate < 0 || throttleBurst < 0 || maxInFlight < 1 || clockSkew.isNegative()) {
            System.err.println("waymark: --throttle-rate and --throttle-burst must not be negative, --max-in-flight "
                    + "must be positive");
            return 2;
        }
        for (Path directory : new Path[] {importDir, exportDir}) {
            if (directory != null && !Files.isDirectory(directory)) {
                System.err.println("waymark: --import-dir and --export-dir must be existing directories, not "
                        + directory);
                return 2;
            }
        }
        if (s3Endpoint != null && (s3Endpoint.getScheme() == null || s3Endpoint.getHost() == null)) {
            System.err.println("waymark: --s3-endpoint must be a URL such as http://127.0.0.1:9000, not " + s3Endpoint);
            return 2;
        }
        if (jobLease.isNegative() || jobLease.isZero()) {
            System.err.println("waymark: --job-lease must be positive, not " + jobLease);
            return 2;
        }
        if (eventStreamEndpoint != null && (eventStreamEndpoint.getScheme() == null
                || eventStreamEndpoint.getHost() == null)) {
            System.err.println("waymark: --event-stream-endpoint must be a URL such as http://127.0.0.1:4566, not "
                    + eventStreamEndpoint);
            return 2;
        }
        DeliverySettings delivery = delivery();
        if (delivery == null) {
            return 2;
        }
        if (outboxLease.compareTo(Duration.ofSeconds(1)) < 0 || outboxRetention.isNegative()) {
            System.err.println("waymark: --outbox-lease must be at least PT1S and --outbox-retention not negative");
            return 2;
        }
        if (participantRetention.isNegative() || engineWorkers < 1 || engineWorkers > 64) {
            System.err.println("waymark: --participant-retention must not be negative and --engine-workers must be "
                    + "1 to 64");
            return 2;
        }
        if (!(backgroundShare > 0 && backgroundShare <= 1)) {
            System.err.println("waymark: --background-share must be over 0 and at most 1 (0.2 is a fifth), not "
                    + backgroundShare);
            return 2;
        }
        ServerConfig config = new ServerConfig(bind, port, store.location(), region, accountId, maxBodyBytes,
                maxActivities, minRefreshFrequency, new SchedulerSettings(schedulerPoll, schedulerSweep,
                        schedulerHeartbeat, SchedulerSettings.DEFAULTS.missedHeartbeats(),
                        SchedulerSettings.DEFAULTS.threads()), security(), runPageCacheMb * 1024L * 1024L, jobs(),
                delivery, OutboxSender.Settings.DEFAULTS.withLease(outboxLease).withRetention(outboxRetention),
                EventStreamDeliverer.Settings.DEFAULTS.withAwsEndpoint(Optional.ofNullable(eventStreamEndpoint)),
                EngineSettings.DEFAULTS.withRetention(participantRetention).withWorkers(engineWorkers)
                        .withBusyShare(backgroundShare));
        boolean newStore = config.store().embedded()
                && !Files.exists(config.dataDir().resolve(SqliteDataDirectory.DATABASE));
        WaymarkServer server;
        try {
            server = WaymarkServer.start(config, Clock.systemUTC());
        } catch (WaymarkServer.StartupException e) {
            System.err.println("waymark: " + e.getMessage());
            return 1;
        }
        new GracefulShutdown(server).install();
        if (!config.security().signaturesRequired()) {
            System.err.println("waymark: WARNING: --auth none: requests are not authenticated; anyone who can reach "
                    + server.url() + " can read and change everything. For throwaway local use only.");
        }
        server.createdKey().ifPresent(key -> {
            System.out.println("Created the first admin access key; it is shown only this once:");
            System.out.println("  export AWS_ACCESS_KEY_ID=" + key.id() + " AWS_SECRET_ACCESS_KEY=" + key.secret());
            System.out.println("More keys: ./waymark keys create --admin | --apps ID,... [--read-only]");
        });
        // Say what runs, and where: a relative --data-dir from another directory would otherwise be a silent new store.
        System.out.println(new VersionCommand.Provider().getVersion()[0] + ", store: "
                + (newStore ? "new " : "") + config.store().describe() + ", auth: " + auth);
        System.out.println("Waymark listening on " + server.url());
        System.out.flush();
        server.join();
        return 0;
    }
}
