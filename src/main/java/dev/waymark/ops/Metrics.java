package dev.waymark.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** What Waymark measures about itself, served at /metrics in the Prometheus text format. */
public final class Metrics {
    /** A few SLO-style latency buckets per operation, instead of Micrometer's 69-bucket percentile histogram. */
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer startLag;
    /** Meters by their tags, built once: a request must not pay for a registry look-up and new ids. */
    private final Map<String, Counter> requestCounts = new ConcurrentHashMap<>();
    private final Map<String, Timer> requestDurations = new ConcurrentHashMap<>();
    private final Map<String, Counter> outboxSends = new ConcurrentHashMap<>();
    private final RequestLoad requestLoad = new RequestLoad();

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        startLag = Timer.builder("waymark.scheduler.start.lag")
                .description("How late runs start after their scheduled time")
                .publishPercentileHistogram().register(registry);
    }

    /** How busy the request path has been lately (RecordingStep tells it each request's CPU time). */
    public RequestLoad requestLoad() {
        return requestLoad;
    }

    /** The registry, for libraries that report into it (the connection pool). */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * One request: its operation (the Pinpoint name, also for operations Waymark does not implement;
     * {@code unauthenticated} when authentication failed; {@code Unmatched} for paths Pinpoint lacks), final status
     * and time taken.
     */
    public void request(String operation, int status, long nanos) {
        requestCounts.computeIfAbsent(operation + ' ' + status, key -> Counter.builder("waymark.requests")
                        .description("Requests by operation and status")
                        .tag("operation", operation).tag("status", Integer.toString(status)).register(registry))
                .increment();
        requestDurations.computeIfAbsent(operation, key -> Timer.builder("waymark.request.duration")
                        .description("Request latency by operation")
                        .tag("operation", operation).serviceLevelObjectives(LATENCY_BUCKETS).register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * A request refused with TooManyRequestsException; {@code reason} is rate, in_flight, body_memory or
     * failed_authentication.
     */
    public void throttled(String reason) {
        Counter.builder("waymark.requests.throttled").description("Requests refused with TooManyRequestsException")
                .tag("reason", reason).register(registry).increment();
    }

    /** Reports the requests in progress. */
    public void inFlight(Supplier<Number> current) {
        // Micrometer holds a gauge's state weakly; the supplier has no other owner.
        Gauge.builder("waymark.requests.in.flight", current).description("Requests in progress")
                .strongReference(true).register(registry);
    }

    /** Reports the bytes of request bodies held in memory. */
    public void bodyBytes(Supplier<Number> current) {
        Gauge.builder("waymark.request.body.bytes", current).description("Bytes of request bodies held in memory")
                .baseUnit("bytes").strongReference(true).register(registry);
    }

    /** A run changed status; starts also report how late they were. */
    public void runTransition(String toStatus, Duration lateBy) {
        Counter.builder("waymark.run.transitions").description("Run status changes by the status reached")
                .tag("status", toStatus).register(registry).increment();
        if (lateBy != null) {
            startLag.record(lateBy.isNegative() ? Duration.ZERO : lateBy);
        }
    }

    /** Planning a journey's runs failed (it is tried again later, or parked). */
    public void planningFailed() {
        Counter.builder("waymark.scheduler.planning.failures")
                .description("Times planning a journey's runs failed").register(registry).increment();
    }

    /** Reports the journeys the scheduler has parked after repeated planning failures. */
    public void parkedJourneys(Supplier<Number> current) {
        Gauge.builder("waymark.scheduler.parked.journeys", current)
                .description("Journeys not planned any more after repeated failures, until changed or restarted")
                .strongReference(true).register(registry);
    }

    /** One recorded outcome of a message's attempt: its channel and result (delivered, retrying, failed_...). */
    public void outboxSend(String channel, String outcome) {
        outboxSends.computeIfAbsent(channel + ' ' + outcome, key -> Counter.builder("waymark.outbox.sends")
                .description("Recorded send attempts by channel and outcome")
                .tag("channel", channel).tag("outcome", outcome).register(registry)).increment();
    }

    /** Reports how many outbox messages are in one state (QUEUED, RETRYING, HELD, SENDING), as last counted. */
    public void outboxDepth(String state, Supplier<Number> current) {
        Gauge.builder("waymark.outbox.messages", current).description("Outbox messages waiting or in hand, by state")
                .tag("state", state).strongReference(true).register(registry);
    }

    /** Reports how long the longest-waiting due message has been due, in seconds (0 when none waits). */
    public void outboxOldestDueAge(Supplier<Number> current) {
        Gauge.builder("waymark.outbox.oldest.due.age", current)
                .description("Seconds since the longest-waiting queued or retrying message became due")
                .baseUnit("seconds").strongReference(true).register(registry);
    }

    public String scrape() {
        return registry.scrape();
    }
}
