package dev.waymark.server;

import com.github.kagkarlsson.scheduler.Scheduler;
import dev.waymark.analytics.EventStreamDeliverer;
import dev.waymark.analytics.EventStreamsApi;
import dev.waymark.analytics.ExecutionMetricsApi;
import dev.waymark.analytics.KpiApi;
import dev.waymark.apps.AppLookup;
import dev.waymark.apps.AppSettingsApi;
import dev.waymark.apps.AppsApi;
import dev.waymark.audience.AcceptedEvents;
import dev.waymark.audience.EndpointsApi;
import dev.waymark.audience.EventsApi;
import dev.waymark.audience.JobsApi;
import dev.waymark.auth.AccessKey;
import dev.waymark.auth.KeyRing;
import dev.waymark.auth.RequestAuthenticator;
import dev.waymark.auth.SecuritySettings;
import dev.waymark.http.ApiResponse;
import dev.waymark.http.BodySettings;
import dev.waymark.http.JsonErrorHandler;
import dev.waymark.http.Paging;
import dev.waymark.http.PinpointHandler;
import dev.waymark.http.Route;
import dev.waymark.http.Router;
import dev.waymark.journeys.JourneyLookup;
import dev.waymark.journeys.JourneyRules;
import dev.waymark.journeys.JourneysApi;
import dev.waymark.journeys.SegmentReferences;
import dev.waymark.messaging.Channel;
import dev.waymark.messaging.ChannelKind;
import dev.waymark.messaging.ChannelsApi;
import dev.waymark.messaging.DeliverySettings;
import dev.waymark.messaging.OutboxSender;
import dev.waymark.messaging.RetrySchedule;
import dev.waymark.messaging.SqlOutbox;
import dev.waymark.messaging.EmailTracking;
import dev.waymark.messaging.MessagesApi;
import dev.waymark.messaging.TrackingApi;
import dev.waymark.messaging.TrackingToken;
import dev.waymark.messaging.SqlTemplateStore;
import dev.waymark.messaging.Transport;
import dev.waymark.messaging.Transports;
import dev.waymark.messaging.TemplateType;
import dev.waymark.messaging.TemplatesApi;
import dev.waymark.messaging.render.HandlebarsRenderer;
import dev.waymark.ops.BackgroundPacing;
import dev.waymark.ops.HealthCheck;
import dev.waymark.ops.Metrics;
import dev.waymark.runs.JourneyRunsApi;
import dev.waymark.runs.RunLifecycle;
import dev.waymark.runs.RunPageCache;
import dev.waymark.runs.RunPlanner;
import dev.waymark.runs.RunScheduler;
import dev.waymark.segments.SegmentAudience;
import dev.waymark.engine.JourneyEngine;
import dev.waymark.audience.EventTap;
import dev.waymark.messaging.JourneyMessages;
import dev.waymark.messaging.JourneyMessageBuilder;
import dev.waymark.analytics.JourneySendCounters;
import dev.waymark.segments.SegmentsApi;
import dev.waymark.store.Store;
import dev.waymark.store.sql.Dialect;
import dev.waymark.store.sql.SqlStore;
import dev.waymark.store.sql.SqliteDataDirectory;
import dev.waymark.tags.TaggedResources;
import dev.waymark.tags.TagsApi;
import dev.waymark.wire.Arns;
import java.io.IOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import javax.sql.DataSource;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** A running Waymark: the store, the run scheduler, the Pinpoint API on Jetty, and /health. Embeddable in tests. */
public final class WaymarkServer implements AutoCloseable {
    /** Builds the db-scheduler that drives runs; tests pass one that builds a manual scheduler. */
    public interface SchedulerFactory extends BiFunction<DataSource, RunScheduler, Scheduler> {}

    private final ServerConfig config;
    private final SqlStore store;
    private final Metrics metrics;
    private final RunScheduler runs;
    private JobsApi jobs;
    private final SqlOutbox outbox;
    private final OutboxSender sender;
    private final EventStreamDeliverer eventStreamDeliverer;
    private final SegmentAudience segmentAudience;
    private final TrackingToken trackingTokens;
    private final EmailTracking tracking;
    private final JourneyEngine engine;
    private final Server jetty;
    private final ServerConnector connector;
    private Optional<AccessKey> createdKey = Optional.empty();
    /** Held while this server serves an embedded store's directory. */
    private AutoCloseable dataDirLock = () -> { };

    private WaymarkServer(ServerConfig config, SqlStore store, Metrics metrics, Clock clock,
                          Map<Channel, Transport> transports) {
        this.config = config;
        this.store = store;
        this.metrics = metrics;
        this.outbox = new SqlOutbox(store.jdbi(), store.dialect(), store.events(), clock);
        // Requests come first: the engine and the senders give way while requests keep the server busy, each kind
        // of work to its own share.
        double busyShare = config.engine().busyShare();
        this.sender = new OutboxSender(outbox, transports, RetrySchedule.standard(clock), config.outbox(), clock,
                Optional.of(metrics)).pacedBy(new BackgroundPacing(metrics.requestLoad(), busyShare));
        this.eventStreamDeliverer = new EventStreamDeliverer(store.eventStreamQueue(),
                config.delivery().webhookSecret(), config.eventStream(), clock, Optional.of(metrics.registry()));
        this.runs = new RunScheduler(new RunLifecycle(store.runs(), new RunPlanner(clock), metrics), store.runs(),
                clock, config.scheduler(), metrics);
        this.segmentAudience = new SegmentAudience(store.segments(), store.dialect(), store.endpoints(), store.events(),
                clock);
        this.trackingTokens = new TrackingToken(Base64.getDecoder().decode(
                store.secret("tracking-key", WaymarkServer::newKey)));
        this.tracking = new EmailTracking(config.delivery().publicUrl(), config.delivery().emailTracking(),
                trackingTokens);
        JourneyMessages journeyMessages = new JourneyMessageBuilder(store.templates(), store.channels(),
                new HandlebarsRenderer(clock), tracking, store.tags()::get);
        this.engine = new JourneyEngine(store.jdbi(), store.dialect(), config.engine(),
                new JourneyEngine.Parts(journeyMessages, segmentAudience, store.events(),
                        store.endpoints(), store.apps(), store.journeyCounters(), outbox, store.events()),
                runs, clock).monitoredBy(metrics.registry())
                .pacedBy(new BackgroundPacing(metrics.requestLoad(), busyShare));
        // The planner asks the engine whether a run's entry is done and whether a journey still has participants;
        // PutEvents' transaction admits into event-started journeys; DeleteEndpoint takes endpoints out of journeys.
        store.runs().progress(engine);
        store.events().tap(EventTap.all(List.of(store.eventStreamQueue(), engine.admission())));
        store.endpoints().onDeletion(engine::endpointsDeleted);
        // Each journey message's attempts are counted at its activity in the transaction that records them.
        outbox.onJourneySends(new JourneySendCounters(store.journeyCounters(), store.dialect().skipLockedPolling()));
        this.jetty = new Server(threadPool());
        this.connector = new ServerConnector(jetty, new HttpConnectionFactory(httpConfiguration()));
        connector.setHost(config.bind());
        connector.setPort(config.port());
        // A connection that sends nothing for 20 s is closed: bounds slow headers (Jetty parses them without a
        // thread) and idle keep-alive connections; bodies have their own pace and deadline (BodySettings).
        connector.setIdleTimeout(20_000);
        jetty.addConnector(connector);
        // Signature freshness compares the client's wall clock with this machine's, whatever clock runs journeys.
        RequestAuthenticator authenticator = new RequestAuthenticator(new KeyRing(store.accessKeys()::find),
                Clock.systemUTC(), config.security().maxClockSkew());
        jetty.setHandler(new GracefulHandler(new PinpointHandler(router(store, clock),
                BodySettings.forLimit(config.maxBodyBytes()), config.security(), authenticator, metrics)));
        // On stop: refuse new connections, let requests in progress finish for up to 10 s.
        jetty.setStopTimeout(10_000);
        jetty.setErrorHandler(new JsonErrorHandler());
        jetty.setStopAtShutdown(false);
    }

    /**
     * Apps, journeys, segments and templates as the tags see them: the owner of each says whether it exists, in its
     * own words.
     */
    private static TaggedResources taggedResources(Store store, SqlTemplateStore templates) {
        return resource -> {
            if (resource.template().isPresent()) {
                TemplateType type = TemplateType.valueOf(resource.template().get().type());
                String name = resource.template().get().name();
                if (!templates.exists(type, name)) {
                    throw TemplatesApi.notFound(type, name, Optional.empty());
                }
                return resource.resourceId();
            }
            String app = AppLookup.require(store.apps(), resource.appId()).id();
            resource.journeyId().ifPresent(journey -> store.journeys().find(app, journey)
                    .orElseThrow(() -> JourneyLookup.notFound(app, journey)));
            resource.segmentId().filter(segment -> !store.segments().exists(app, segment)).ifPresent(segment -> {
                throw SegmentsApi.notFound(app, segment);
            });
            return resource.resourceId();
        };
    }

    /** Opens the store (creating the data directory when needed), starts listening, then starts the scheduler. */
    public static WaymarkServer start(ServerConfig config, Clock clock) throws StartupException {
        return start(config, clock, (dataSource, runs) -> runs.buildScheduler(dataSource, config.scheduler(),
                Dialect.of(config.jdbcUrl()).skipLockedPolling()));
    }

    /** As {@link #start(ServerConfig, Clock)}, with the run scheduler built by {@code schedulers}. */
    public static WaymarkServer start(ServerConfig config, Clock clock, SchedulerFactory schedulers)
            throws StartupException {
        AutoCloseable dataDirLock = () -> { };
        if (config.dbUrl() == null || config.dbUrl().isBlank()) {
            try {
                SqliteDataDirectory.prepare(config.dataDir());
            } catch (IOException e) {
                throw new StartupException("cannot create the data directory " + config.dataDir() + ": " + e);
            }
            if (!Files.isWritable(config.dataDir())) {
                throw new StartupException("the data directory " + config.dataDir() + " is not writable");
            }
            try {
                dataDirLock = SqliteDataDirectory.lockForServer(config.dataDir());
            } catch (IOException | IllegalStateException e) {
                throw new StartupException(e.getMessage());
            }
        }
        Metrics metrics = new Metrics();
        SqlStore store;
        try {
            store = SqlStore.open(config.jdbcUrl(), config.dbUser(), config.dbPassword(),
                    Optional.of(metrics.registry()), clock);
        } catch (RuntimeException e) {
            closeQuietly(dataDirLock);
            throw new StartupException("cannot open the store at " + config.jdbcUrl() + ": " + rootMessage(e));
        }
        Optional<AccessKey> createdKey;
        try {
            createdKey = bootstrapKey(store, config.security(), clock);
        } catch (RuntimeException e) {
            store.close();
            closeQuietly(dataDirLock);
            throw new StartupException("cannot set up the access keys: " + rootMessage(e));
        }
        Map<Channel, Transport> transports;
        try {
            transports = Transports.open(config.delivery());
        } catch (IllegalArgumentException e) {
            store.close();
            closeQuietly(dataDirLock);
            throw new StartupException(e.getMessage());
        }
        WaymarkServer server = new WaymarkServer(config, store, metrics, clock, transports);
        server.createdKey = createdKey;
        server.dataDirLock = dataDirLock;
        try {
            server.jetty.start();
        } catch (Exception e) {
            server.close();
            throw new StartupException("cannot listen on " + config.bind() + ":" + config.port() + ": "
                    + rootMessage(e));
        }
        server.sender.start();
        server.eventStreamDeliverer.start();
        server.jobs.start();
        try {
            server.runs.start(schedulers.apply(store.dataSource(), server.runs));
        } catch (RuntimeException e) {
            server.close();
            throw new StartupException("cannot start the run scheduler: " + rootMessage(e));
        }
        // After the scheduler: the engine's first pass over a freshly imported store is one long write transaction
        // over all its journeys, and the scheduler's start-up inserts would wait for it before the server is up.
        server.engine.start();
        return server;
    }

    /**
     * With signatures on: seeds the configured admin key, or creates one when the store has no key at all. Returns
     * the key it created, to be shown once.
     */
    private static Optional<AccessKey> bootstrapKey(Store store, SecuritySettings security, Clock clock) {
        if (!security.signaturesRequired()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (security.seedKeyId().isPresent() && security.seedSecret().isPresent()) {
            store.accessKeys().seed(new AccessKey(security.seedKeyId().get(), security.seedSecret().get(), true,
                    Set.of(), false, now, Optional.empty()));
            return Optional.empty();
        }
        AccessKey key = AccessKey.generate(true, Set.of(), false, now);
        return store.accessKeys().insertIfNone(key) ? Optional.of(key) : Optional.empty();
    }

    /** The journey engine of this node. */
    public JourneyEngine engine() {
        return engine;
    }

    /** The admin key this start created because the store had none; shown to the operator once. */
    public Optional<AccessKey> createdKey() {
        return createdKey;
    }

    /** The port actually bound (useful when the configured port is 0). */
    public int port() {
        return connector.getLocalPort();
    }

    public String url() {
        String host = config.bind().contains(":") ? "[" + config.bind() + "]" : config.bind();
        return "http://" + host + ":" + port();
    }

    public Store store() {
        return store;
    }

    public RunScheduler runScheduler() {
        return runs;
    }

    /** The outbox every message is queued in (direct sends queue and wait here; the engine queues with its moves). */
    public SqlOutbox outbox() {
        return outbox;
    }

    /** Where messages go, as configured (direct sends read how long they wait for answers). */
    public DeliverySettings delivery() {
        return config.delivery();
    }

    public void join() throws InterruptedException {
        jetty.join();
    }

    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception e) {
            // Stopping is best effort; the scheduler and the store must still be closed below.
        }
        try {
            // The engine first: the batch of moves in progress commits or rolls back as a whole.
            engine.close();
            // Then the senders: hand-overs in progress finish (bounded) and their outcomes are written.
            sender.close();
        } finally {
            try {
                // The event stream's batch in flight finishes too; an undeleted one is sent again after a restart.
                eventStreamDeliverer.close();
            } finally {
                try {
                    // Then jobs: one in progress stops after its chunk and lets go of its lease for the next start.
                    jobs.close();
                } finally {
                    closeStore();
                }
            }
        }
    }

    private void closeStore() {
        try {
            runs.close();
        } finally {
            store.close();
            closeQuietly(dataDirLock);
        }
    }

    private static void closeQuietly(AutoCloseable lock) {
        try {
            lock.close();
        } catch (Exception e) {
            // The process lets go of the lock when it ends anyway.
        }
    }

    private Router router(Store store, Clock clock) {
        Arns arns = new Arns(config.region(), config.accountId());
        Paging paging = new Paging(Base64.getDecoder().decode(store.secret("page-token-key", WaymarkServer::newKey)));
        JourneyRules rules = new JourneyRules(config.maxActivities(), config.minRefreshFrequency());
        AppsApi apps = new AppsApi(store, arns, paging, clock, runs::journeyDeleted);
        AppSettingsApi appSettings = new AppSettingsApi(store, clock);
        JourneysApi journeys = new JourneysApi(store, rules, paging, clock, runs, store.segments());
        JourneyRunsApi journeyRuns = new JourneyRunsApi(store, paging,
                new RunPageCache(config.runPageCacheBytes()).monitoredBy(metrics.registry()));
        TagsApi tags = new TagsApi(store.tags(), taggedResources(store, this.store.templates()), arns);
        EndpointsApi endpoints = new EndpointsApi(store);
        // No listener yet: the engine will admit endpoints into event-started journeys from here.
        EventsApi events = new EventsApi(store.apps(), this.store.events(), clock, AcceptedEvents.NONE);
        SegmentsApi segments = new SegmentsApi(store, this.store.segments(), arns, paging, clock,
                new SegmentReferences(store.journeys()));
        TemplatesApi templates = new TemplatesApi(this.store.templates(), store.tags(), arns, paging, clock);
        TrackingToken trackingTokens = this.trackingTokens;
        EmailTracking tracking = this.tracking;
        TrackingApi trackingUrls = new TrackingApi(this.store.jdbi(), this.store.events(), store.endpoints(),
                trackingTokens, clock);
        MessagesApi messages = new MessagesApi(store.apps(), store.endpoints(), this.store.channels(),
                this.store.templates(), new HandlebarsRenderer(clock), outbox, config.delivery().directSendWait(),
                tracking, store.tags()::get);
        ChannelsApi channels = new ChannelsApi(store.apps(), this.store.channels(), clock);
        ExecutionMetricsApi executionMetrics = new ExecutionMetricsApi(store, this.store.journeyCounters());
        KpiApi kpis = new KpiApi(store, clock);
        EventStreamsApi eventStreams = new EventStreamsApi(store.apps(), this.store.eventStreams(), clock,
                config.delivery().allowHttpDelivery());
        jobs = JobsApi.create(store, this.store.jdbi(), paging, config.jobs(), config.region(), clock, segmentAudience);
        HealthCheck health = new HealthCheck(store::isHealthy, runs::isRunning, runs::parkedCount);
        // Each operation's body limit fits its request shape, checked before parsing: a name and 50 tags fit in
        // 64 KiB even in multi-byte UTF-8; a journey is its 512 KiB definition cap again for whitespace and escapes.
        long tagsBody = 64 * 1024;
        long journeyBody = 2L * JourneyRules.MAX_DEFINITION_BYTES;
        long stateBody = 4 * 1024;
        // Pinpoint's 7 MB payload for a batch of 100 endpoints; one endpoint is at most 15 KB, so 256 KiB leaves room
        // for whitespace and escapes.
        long batchBody = 7L * 1024 * 1024;
        long endpointBody = 256 * 1024;
        // A job request is a handful of short members (a URL of at most 2048 characters, an ARN, names).
        long jobBody = 16 * 1024;
        Router router = Router.withPinpointCatalogue();
        for (TemplateType type : TemplateType.values()) {
            String name = type.operationName();
            router.implement("Create" + name + "Template", TemplatesApi.MAX_BODY_BYTES, templates.create(type))
                    .implement("Get" + name + "Template", Route.NO_BODY, templates.get(type))
                    .implement("Update" + name + "Template", TemplatesApi.MAX_BODY_BYTES, templates.update(type))
                    .implement("Delete" + name + "Template", Route.NO_BODY, templates.delete(type));
        }
        for (ChannelKind kind : ChannelKind.values()) {
            String name = kind.operationName();
            router.implement("Get" + name + "Channel", Route.NO_BODY, channels.get(kind))
                    .implement("Update" + name + "Channel", ChannelsApi.MAX_BODY_BYTES, channels.update(kind))
                    .implement("Delete" + name + "Channel", Route.NO_BODY, channels.delete(kind));
        }
        return router
                .implement("GetChannels", Route.NO_BODY, channels::list)
                .implement("SendMessages", MessagesApi.MAX_BODY_BYTES, messages::sendMessages)
                .implement("SendUsersMessages", MessagesApi.MAX_BODY_BYTES, messages::sendUsersMessages)
                .implement("ListTemplates", Route.NO_BODY, templates::list)
                .implement("ListTemplateVersions", Route.NO_BODY, templates::listVersions)
                .implement("UpdateTemplateActiveVersion", 4 * 1024, templates::activate)
                .implement("CreateApp", tagsBody, apps::create)
                .implement("GetApp", Route.NO_BODY, apps::get)
                .implement("GetApps", Route.NO_BODY, apps::list)
                .implement("DeleteApp", Route.NO_BODY, apps::delete)
                .implement("GetApplicationSettings", Route.NO_BODY, appSettings::get)
                .implement("UpdateApplicationSettings", AppSettingsApi.MAX_BODY_BYTES, appSettings::update)
                .implement("CreateJourney", journeyBody, journeys::create)
                .implement("GetJourney", Route.NO_BODY, journeys::get)
                .implement("ListJourneys", Route.NO_BODY, journeys::list)
                .implement("UpdateJourney", journeyBody, journeys::update)
                .implement("UpdateJourneyState", stateBody, journeys::updateState)
                .implement("DeleteJourney", Route.NO_BODY, journeys::delete)
                .implement("GetJourneyRuns", Route.NO_BODY, journeyRuns::list)
                .implement("PutEvents", EventsApi.MAX_BODY_BYTES, events::put)
                .implement("GetJourneyExecutionMetrics", Route.NO_BODY, executionMetrics::journey)
                .implement("GetJourneyExecutionActivityMetrics", Route.NO_BODY, executionMetrics::journeyActivity)
                .implement("GetJourneyRunExecutionMetrics", Route.NO_BODY, executionMetrics::run)
                .implement("GetJourneyRunExecutionActivityMetrics", Route.NO_BODY, executionMetrics::runActivity)
                .implement("GetJourneyDateRangeKpi", Route.NO_BODY, kpis::journey)
                .implement("GetApplicationDateRangeKpi", Route.NO_BODY, kpis::application)
                .implement("PutEventStream", EventStreamsApi.MAX_BODY_BYTES, eventStreams::put)
                .implement("GetEventStream", Route.NO_BODY, eventStreams::get)
                .implement("DeleteEventStream", Route.NO_BODY, eventStreams::delete)
                .implement("CreateSegment", SegmentsApi.MAX_BODY_BYTES, segments::create)
                .implement("GetSegment", Route.NO_BODY, segments::get)
                .implement("GetSegments", Route.NO_BODY, segments::list)
                .implement("UpdateSegment", SegmentsApi.MAX_BODY_BYTES, segments::update)
                .implement("DeleteSegment", Route.NO_BODY, segments::delete)
                .implement("GetSegmentVersion", Route.NO_BODY, segments::getVersion)
                .implement("GetSegmentVersions", Route.NO_BODY, segments::listVersions)
                .implement("CreateImportJob", jobBody, jobs::createImport)
                .implement("GetImportJob", Route.NO_BODY, jobs::getImport)
                .implement("GetImportJobs", Route.NO_BODY, jobs::listImports)
                .implement("GetSegmentImportJobs", Route.NO_BODY, jobs::listSegmentImports)
                .implement("CreateExportJob", jobBody, jobs::createExport)
                .implement("GetExportJob", Route.NO_BODY, jobs::getExport)
                .implement("GetExportJobs", Route.NO_BODY, jobs::listExports)
                .implement("GetSegmentExportJobs", Route.NO_BODY, jobs::listSegmentExports)
                .implement("TagResource", tagsBody, tags::tag)
                .implement("UntagResource", Route.NO_BODY, tags::untag)
                .implement("ListTagsForResource", Route.NO_BODY, tags::list)
                .implement("UpdateEndpoint", endpointBody, endpoints::update)
                .implement("UpdateEndpointsBatch", batchBody, endpoints::updateBatch)
                .implement("GetEndpoint", Route.NO_BODY, endpoints::get)
                .implement("DeleteEndpoint", Route.NO_BODY, endpoints::delete)
                .implement("GetUserEndpoints", Route.NO_BODY, endpoints::getUser)
                .implement("DeleteUserEndpoints", Route.NO_BODY, endpoints::deleteUser)
                .implement("RemoveAttributes", tagsBody, endpoints::removeAttributes)
                .addUnsigned("GET", "/health", "Health", request -> {
                    HealthCheck.Report report = health.check();
                    return new ApiResponse(report.healthy() ? 200 : 503, report.body());
                })
                .addUnsigned("GET", "/t/o/{token}", "TrackOpen", trackingUrls::open)
                .addUnsigned("GET", "/t/c/{token}", "TrackClick", trackingUrls::click)
                .addUnsigned("GET", "/t/u/{token}", "UnsubscribePage", trackingUrls::confirmUnsubscribe)
                .addUnsigned("POST", "/t/u/{token}", "Unsubscribe", trackingUrls::unsubscribe)
                .addUnsigned("GET", "/metrics", "Metrics",
                        request -> ApiResponse.text(metrics.scrape(), "text/plain; version=0.0.4; charset=utf-8"));
    }

    private static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static HttpConfiguration httpConfiguration() {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // No per-connection cache of header fields: a signed request's Authorization and X-Amz-Date differ every
        // time, so the cache only churned (about a tenth of the server's CPU for GetJourneyRuns signed per request).
        http.setHeaderCacheSize(0);
        // SDKs percent-encode '/' and ':' inside labels (ARNs, odd ids); Jetty's default refuses them.
        http.setUriCompliance(UriCompliance.DEFAULT.with("pinpoint-labels",
                UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR, UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
        return http;
    }

    private static QueuedThreadPool threadPool() {
        QueuedThreadPool pool = new QueuedThreadPool(200, 8);
        pool.setName("waymark-http");
        return pool;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** Start-up failed for a reason the operator can fix; the message is one line, without a stack trace. */
    public static final class StartupException extends Exception {
        public StartupException(String message) {
            super(message, null, false, false);
        }
    }
}
