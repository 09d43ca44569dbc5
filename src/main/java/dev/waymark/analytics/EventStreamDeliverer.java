package dev.waymark.analytics;

import dev.waymark.analytics.SqlEventStreamQueue.DueApp;
import dev.waymark.analytics.SqlEventStreamQueue.Queued;
import dev.waymark.analytics.StreamSenders.Sent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's event-stream deliverer: one thread that finds apps whose queue is due, takes an app's lease (so that
 * one node at a time sends an app's records, in id order), sends its first records in batches and deletes each
 * batch once its destination took it. A batch that fails blocks its app's later records (per-endpoint order) and is
 * retried with back-off up to {@link Settings#maxBackoff()}; a record that has failed for
 * {@link Settings#giveUpAfter()} is dropped, counted and logged. A crash between a send and its delete sends the
 * batch again: delivery is at least once, and every record carries its {@code event_id}.
 */
public final class EventStreamDeliverer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventStreamDeliverer.class);
    /** Apps looked at per pass at most. */
    private static final int APPS_PER_PASS = 64;
    /** Batches sent to one app per claim at most, so that one busy app does not starve the others. */
    private static final int BATCHES_PER_CLAIM = 20;
    /** Rows of a deleted stream are left only by a delete racing a write on another node: a rare sweep suffices. */
    private static final Duration ORPHAN_SWEEP = Duration.ofMinutes(10);

    /**
     * How the deliverer works: the Kinesis- and Firehose-compatible endpoint to use instead of AWS's
     * ({@code --event-stream-endpoint}), how often it looks for work when idle, how long a claim holds an app
     * (longer than a batch's timeouts), the first and longest back-off after a failure, and how long a record may
     * keep failing before it is dropped.
     */
    public record Settings(Optional<URI> awsEndpoint, Duration poll, Duration lease, Duration firstBackoff,
                           Duration maxBackoff, Duration giveUpAfter) {
        public static final Settings DEFAULTS = new Settings(Optional.empty(), Duration.ofMillis(250),
                Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofHours(24));

        public Settings withAwsEndpoint(Optional<URI> endpoint) {
            return new Settings(endpoint, poll, lease, firstBackoff, maxBackoff, giveUpAfter);
        }

        public Settings withBackoff(Duration first, Duration max) {
            return new Settings(awsEndpoint, poll, lease, first, max, giveUpAfter);
        }

        public Settings withGiveUpAfter(Duration after) {
            return new Settings(awsEndpoint, poll, lease, firstBackoff, maxBackoff, after);
        }
    }

    private final SqlEventStreamQueue queue;
    private final StreamSenders senders;
    private final Settings settings;
    private final Clock clock;
    private final String owner = "stream-" + UUID.randomUUID();
    private final Thread thread;
    private final AtomicLong lagMs = new AtomicLong();
    private final Optional<Counter> delivered;
    private final Optional<Counter> failedBatches;
    private final Optional<Counter> dropped;
    private volatile boolean running;
    private long nextSweepMs;

    /**
     * A deliverer over {@code queue}: webhooks signed with {@code webhookSecret} when set; meters into
     * {@code registry} when given.
     */
    public EventStreamDeliverer(SqlEventStreamQueue queue, Optional<String> webhookSecret, Settings settings,
                                Clock clock, Optional<MeterRegistry> registry) {
        this(queue, new StreamSenders(settings.awsEndpoint(), webhookSecret, clock), settings, clock, registry);
    }

    EventStreamDeliverer(SqlEventStreamQueue queue, StreamSenders senders, Settings settings, Clock clock,
                         Optional<MeterRegistry> registry) {
        this.queue = queue;
        this.senders = senders;
        this.settings = settings;
        this.clock = clock;
        this.thread = new Thread(this::loop, "waymark-event-stream");
        thread.setDaemon(true);
        registry.ifPresent(meters -> Gauge.builder("waymark.event.stream.lag", lagMs, ms -> ms.get() / 1000.0)
                .description("Age of the oldest event-stream record not delivered yet").baseUnit("seconds")
                .strongReference(true).register(meters));
        this.delivered = registry.map(meters -> counter(meters, "delivered"));
        this.failedBatches = registry.map(meters -> Counter.builder("waymark.event.stream.failures")
                .description("Event-stream batches that failed and wait to be sent again").register(meters));
        this.dropped = registry.map(meters -> counter(meters, "dropped"));
    }

    private static Counter counter(MeterRegistry meters, String outcome) {
        return Counter.builder("waymark.event.stream.records").description("Event-stream records by outcome")
                .tag("outcome", outcome).register(meters);
    }

    public void start() {
        running = true;
        thread.start();
    }

    private void loop() {
        while (running) {
            boolean busy = false;
            try {
                busy = pass();
            } catch (RuntimeException e) {
                // The store unreachable for a moment: the next pass tries again after the poll.
                LOG.warn("event-stream delivery pass failed: {}", e.toString());
            }
            if (!busy) {
                try {
                    Thread.sleep(settings.poll().toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** One look at the queue; true when it sent something (so that the next pass comes at once). */
    boolean pass() {
        long now = clock.millis();
        lagMs.set(queue.oldestCreatedMs().map(created -> Math.max(0, now - created)).orElse(0L));
        if (now >= nextSweepMs) {
            nextSweepMs = now + ORPHAN_SWEEP.toMillis();
            queue.dropOrphans();
        }
        boolean busy = false;
        for (DueApp app : queue.due(now, APPS_PER_PASS)) {
            if (!running) {
                break;
            }
            long claimed = clock.millis();
            if (!queue.claim(app.appId(), owner, claimed, claimed + settings.lease().toMillis())) {
                continue;
            }
            try {
                busy |= deliver(app.appId());
            } finally {
                queue.release(app.appId(), owner);
            }
        }
        return busy;
    }

    /** Sends the app's queue, batch after batch, until it is empty, fails, or has had its share. */
    private boolean deliver(String appId) {
        Optional<EventStreamTarget> target = queue.target(appId);
        if (target.isEmpty()) {
            return false;
        }
        boolean sent = false;
        for (int round = 0; round < BATCHES_PER_CLAIM && running; round++) {
            long now = clock.millis();
            // Each batch renews the lease first: a batch never runs on a lease that could expire under it.
            if (round > 0 && !queue.claim(appId, owner, now, now + settings.lease().toMillis())) {
                return sent;
            }
            List<Queued> batch = bounded(queue.head(appId, StreamSenders.MAX_BATCH));
            if (batch.isEmpty() || batch.get(0).nextAttemptMs() > now) {
                return sent;
            }
            Sent outcome = senders.send(target.get(), batch);
            queue.delete(appId, batch.subList(0, outcome.delivered()));
            delivered.ifPresent(counter -> counter.increment(outcome.delivered()));
            sent |= outcome.delivered() > 0;
            if (outcome.failure().isPresent()) {
                failed(appId, batch.get(outcome.delivered()), outcome.failure().get());
                return sent;
            }
        }
        return sent;
    }

    private void failed(String appId, Queued first, String why) {
        failedBatches.ifPresent(Counter::increment);
        long now = clock.millis();
        if (now - first.createdMs() >= settings.giveUpAfter().toMillis()) {
            // Never forever: the record that has blocked its app this long goes, and the app's later ones follow.
            LOG.error("event stream of app {}: dropped record {} after failing for {} ({} attempts): {}", appId,
                    first.id(), settings.giveUpAfter(), first.attempts() + 1, why);
            queue.delete(appId, List.of(first));
            dropped.ifPresent(Counter::increment);
            return;
        }
        if (first.attempts() == 0) {
            LOG.warn("event stream of app {}: delivery failed, retrying: {}", appId, why);
        }
        long backoff = Math.min(settings.maxBackoff().toMillis(),
                settings.firstBackoff().toMillis() << Math.min(20, first.attempts()));
        // Jitter: nodes and apps that failed together do not come back together.
        long jittered = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
        queue.failed(appId, first, now + jittered);
    }

    /** The first rows up to the byte bound of one call (always at least one). */
    private static List<Queued> bounded(List<Queued> rows) {
        List<Queued> batch = new ArrayList<>(rows.size());
        long bytes = 0;
        for (Queued row : rows) {
            bytes += row.record().getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
            if (!batch.isEmpty() && bytes > StreamSenders.MAX_BATCH_BYTES) {
                break;
            }
            batch.add(row);
        }
        return batch;
    }

    @Override
    public void close() {
        // No interrupt: a batch in flight finishes (its timeouts bound it) and its outcome is written.
        running = false;
        try {
            thread.join(Duration.ofSeconds(20).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        senders.close();
    }
}
