package dev.waymark.messaging;

import dev.waymark.ops.BackgroundPacing;
import dev.waymark.ops.Metrics;
import dev.waymark.wire.Ids;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's senders: for each channel a claimer thread that takes due messages in batches and a thread pool of
 * that channel's own that hands them to its transport (a slow webhook never delays email); one recorder thread that
 * writes outcomes in batches; and housekeeping (pruning, gauges). Every node runs one; they share the work through
 * the table.
 *
 * <p>A channel with no transport configured is still claimed: its messages fail for good at once, with a message
 * naming the missing flag. Stopping stops the claims, lets hand-overs in progress finish for up to
 * {@link Settings#stopWait()}, records their outcomes, then closes the transports; a message still in a transport's
 * hands then is sent again by the next claim after its lease, with the same idempotency key.
 */
public final class OutboxSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxSender.class);
    /** Outcomes written per transaction at most. */
    private static final int RECORD_BATCH = 500;
    /** Tries of an outcome with its records before it is written without them. */
    private static final int BARE_AFTER_FAILURES = 3;

    /**
     * How the senders work: how often they look for due messages without being woken, how long a claim holds a
     * message (longer than a transport's timeouts times the hand-overs queued per thread), how many messages one
     * claim takes, the threads per channel, how long stopping waits for hand-overs, and how long final messages are
     * kept.
     */
    public record Settings(Duration poll, Duration lease, int batch, Map<Channel, Integer> threads, Duration stopWait,
                           Duration retention) {
        public static final Settings DEFAULTS = new Settings(Duration.ofMillis(250), Duration.ofSeconds(90), 100,
                Map.of(Channel.EMAIL, 8, Channel.SMS, 32, Channel.PUSH, 32, Channel.VOICE, 16, Channel.CUSTOM, 16),
                Duration.ofSeconds(10), Duration.ofDays(7));

        public Settings withLease(Duration newLease) {
            return new Settings(poll, newLease, batch, threads, stopWait, retention);
        }

        public Settings withRetention(Duration newRetention) {
            return new Settings(poll, lease, batch, threads, stopWait, newRetention);
        }

        int threadsOf(Channel channel) {
            return Math.max(1, threads.getOrDefault(channel, 8));
        }
    }

    private final SqlOutbox outbox;
    private final Map<Channel, Transport> transports;
    private final RetrySchedule retries;
    private final Settings settings;
    private final Clock clock;
    private final Optional<Metrics> metrics;
    private final String owner = "node-" + Ids.newId();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Map<Channel, Lane> lanes = new EnumMap<>(Channel.class);
    private final BlockingQueue<Pending> outcomes = new LinkedBlockingQueue<>();
    private final Thread recorder;
    private final ScheduledExecutorService housekeeping;
    private final Map<MessageStatus.State, AtomicLong> depth = new EnumMap<>(MessageStatus.State.class);
    private final AtomicLong oldestDueMs = new AtomicLong(-1);
    private volatile boolean started;
    private volatile BackgroundPacing pacing = BackgroundPacing.NONE;

    /** An outcome waiting to be written, with the lane that holds its slot and when its claim runs out. */
    private record Pending(SqlOutbox.Outcome outcome, Lane lane, long leaseUntilMs) {}

    public OutboxSender(SqlOutbox outbox, Map<Channel, Transport> transports, RetrySchedule retries,
                        Settings settings, Clock clock, Optional<Metrics> metrics) {
        this.outbox = outbox;
        this.transports = Map.copyOf(transports);
        this.retries = retries;
        this.settings = settings;
        this.clock = clock;
        this.metrics = metrics;
        for (Channel channel : Channel.values()) {
            lanes.put(channel, new Lane(channel, this.transports.get(channel)));
        }
        this.recorder = daemon("waymark-outbox-recorder").newThread(this::recordLoop);
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(daemon("waymark-outbox-housekeeping"));
        for (MessageStatus.State state : SqlOutbox.WAITING) {
            depth.put(state, new AtomicLong());
        }
        outbox.onEnqueue(this::wake);
    }

    /** Gives way to requests as {@code newPacing} says: each send thread rests after a send while they are busy. */
    public OutboxSender pacedBy(BackgroundPacing newPacing) {
        this.pacing = newPacing;
        return this;
    }

    /** Starts claiming on every channel, writing outcomes, and housekeeping. */
    public void start() {
        started = true;
        transports.values().forEach(transport -> {
            if (settings.lease().compareTo(transport.longestSend()) < 0) {
                LOG.warn("The outbox lease ({}) is shorter than the {} transport's longest send ({}): a hand-over "
                        + "that takes that long may be taken over and sent again by another node", settings.lease(),
                        transport.channel(), transport.longestSend());
            }
        });
        recorder.start();
        lanes.values().forEach(Lane::start);
        metrics.ifPresent(m -> {
            depth.forEach((state, count) -> m.outboxDepth(state.name(), count::get));
            m.outboxOldestDueAge(() -> {
                long oldest = oldestDueMs.get();
                return oldest < 0 ? 0 : Math.max(0, clock.millis() - oldest) / 1000.0;
            });
        });
        long every = Math.max(1000, settings.poll().toMillis() * 40);
        housekeeping.scheduleWithFixedDelay(this::housekeep, every, every, TimeUnit.MILLISECONDS);
    }

    /** Looks for messages of these channels now (they were just queued on this node) rather than at the next poll. */
    public void wake(Set<Channel> channels) {
        channels.forEach(channel -> lanes.get(channel).wake());
    }

    /** The owner this node's claims carry (tests tell nodes apart by it). */
    String owner() {
        return owner;
    }

    private void housekeep() {
        try {
            SqlOutbox.Depth now = outbox.depth();
            now.byState().forEach((state, count) -> depth.get(state).set(count));
            oldestDueMs.set(now.oldestDueMs().orElse(-1L));
            outbox.prune(clock.millis() - settings.retention().toMillis(), 10);
        } catch (RuntimeException e) {
            LOG.debug("Outbox housekeeping failed; it runs again later: {}", e.toString());
        }
    }

    /** One channel: its claimer, its hand-over pool, and how many of its messages are claimed and not recorded. */
    private final class Lane {
        private final Channel channel;
        private final Transport transport;
        private final ExecutorService pool;
        private final int capacity;
        private final AtomicInteger inFlight = new AtomicInteger();
        private final Thread claimer;
        private final Object signal = new Object();
        private boolean woken;
        /** Until when a wake keeps looking every 25 ms: it may come before the queuing transaction commits. */
        private volatile long lookUntilNanos;
        private int failedPolls;

        Lane(Channel channel, Transport transport) {
            this.channel = channel;
            this.transport = transport;
            int threads = transport == null ? 1 : settings.threadsOf(channel);
            this.pool = Executors.newFixedThreadPool(threads,
                    daemon("waymark-send-" + channel.name().toLowerCase(java.util.Locale.ROOT)));
            // Messages claimed ahead of the threads, so that a thread never waits for a claim; bounded so that a
            // claim's lease outlives the queue in front of its messages.
            this.capacity = Math.max(settings.batch() / 4, threads * 4);
            this.claimer = daemon("waymark-claim-" + channel.name().toLowerCase(java.util.Locale.ROOT))
                    .newThread(this::claimLoop);
        }

        void start() {
            claimer.start();
        }

        void wake() {
            lookUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            synchronized (signal) {
                woken = true;
                signal.notifyAll();
            }
        }

        void released() {
            if (inFlight.decrementAndGet() <= capacity / 2) {
                synchronized (signal) {
                    woken = true;
                    signal.notifyAll();
                }
            }
        }

        private void claimLoop() {
            long pollMs = settings.poll().toMillis();
            while (!stopping.get()) {
                long waitMs = pollMs;
                try {
                    int free = capacity - inFlight.get();
                    if (free >= Math.max(1, capacity / 2) || (free > 0 && inFlight.get() == 0)) {
                        int asked = Math.min(settings.batch(), free);
                        int claimed = claimOnce(asked);
                        if (failedPolls > 0) {
                            LOG.info("Claiming {} messages works again after {} failed polls", channel, failedPolls);
                        }
                        failedPolls = 0;
                        if (claimed == asked) {
                            waitMs = 0;
                        } else if (claimed == 0 && System.nanoTime() - lookUntilNanos < 0) {
                            waitMs = Math.min(pollMs, 25);
                        }
                    }
                } catch (RuntimeException e) {
                    // A store that is down is asked again after 2, 4, 8 ... polls, up to a minute, not every poll;
                    // said at the first failure and every tenth.
                    failedPolls++;
                    waitMs = Math.min(60_000, pollMs << Math.min(failedPolls, 16));
                    if (failedPolls == 1 || failedPolls % 10 == 0) {
                        LOG.warn("Claiming {} messages failed ({} in a row); trying again in {} ms: {}", channel,
                                failedPolls, waitMs, e.toString());
                    }
                }
                pause(waitMs, failedPolls > 0);
            }
        }

        /** Waits up to {@code waitMs}, or until woken; a store that is failing is not asked early, whoever wakes. */
        private void pause(long waitMs, boolean backingOff) {
            if (waitMs <= 0) {
                return;
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
            synchronized (signal) {
                try {
                    long left;
                    while (!stopping.get() && (backingOff || !woken)
                            && (left = deadline - System.nanoTime()) > 0) {
                        signal.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopping.set(true);
                }
                woken = false;
            }
        }

        private int claimOnce(int asked) {
            long leaseUntil = clock.millis() + settings.lease().toMillis();
            List<SqlOutbox.Claimed> claimed = outbox.claim(channel, owner, leaseUntil, asked);
            for (SqlOutbox.Claimed message : claimed) {
                inFlight.incrementAndGet();
                if (transport == null) {
                    finish(message, Delivery.permanentFailure(0, missingTransport(channel)), leaseUntil);
                } else {
                    pool.execute(() -> handOver(message, leaseUntil));
                }
            }
            return claimed.size();
        }

        /**
         * Sends a claimed message only while its claim outlasts the longest send: a message that waited behind slow
         * hand-overs until then may already be another node's, which must not find this node still sending it. It
         * goes back to the table untried instead.
         */
        private void handOver(SqlOutbox.Claimed message, long leaseUntil) {
            // At most half the lease is asked for: a lease shorter than a longest send (an operator's choice, tests)
            // must still let messages leave.
            long needed = Math.min(transport.longestSend().toMillis(), settings.lease().toMillis() / 2);
            if (clock.millis() + needed > leaseUntil) {
                try {
                    outbox.giveBack(message, owner);
                } catch (RuntimeException e) {
                    // Left SENDING: the next claim after its lease takes it, and this node never sent it.
                    LOG.debug("Giving back message {} failed: {}", message.message().id(), e.toString());
                }
                released();
                return;
            }
            long started = System.nanoTime();
            finish(message, send(message), leaseUntil);
            try {
                pacing.after(System.nanoTime() - started);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private Delivery send(SqlOutbox.Claimed claimed) {
            try {
                Delivery delivery = transport.send(claimed.message());
                return delivery == null ? Delivery.transientFailure(0, "the transport gave no answer") : delivery;
            } catch (RuntimeException | Error e) {
                // A transport's unexpected exception is a transient failure: the message is tried again later, up to
                // its deadline. Errors too (a class a library cannot load, a stack overflow on a hostile payload): let
                // through, they would end the task without an outcome, keep the message's slot in the lane for good
                // and have the message sent again after every lease, for ever.
                // Its text stays in the log: the status message reaches API clients, and an exception's text can
                // name hosts, users or the code's insides.
                LOG.warn("The {} transport failed on message {}", channel, claimed.message().id(), e);
                return Delivery.transientFailure(0, "transport error: " + e.getClass().getSimpleName());
            }
        }

        private void finish(SqlOutbox.Claimed claimed, Delivery delivery, long leaseUntil) {
            OutboxEvents.Result result;
            long next = 0;
            switch (delivery.outcome()) {
                case DELIVERED -> result = OutboxEvents.Result.DELIVERED;
                case PERMANENT_FAILURE -> result = OutboxEvents.Result.FAILED_PERMANENT;
                default -> {
                    OptionalLong retry = retries.next(claimed.createdMs(), claimed.message().attempt());
                    result = retry.isPresent() ? OutboxEvents.Result.RETRYING : OutboxEvents.Result.FAILED_EXHAUSTED;
                    next = retry.orElse(0);
                }
            }
            if (result == OutboxEvents.Result.FAILED_EXHAUSTED) {
                delivery = new Delivery(delivery.outcome(), delivery.statusCode(), "retries exhausted: "
                        + delivery.statusMessage(), delivery.providerMessageId(), delivery.eventAttributes());
            }
            outcomes.add(new Pending(new SqlOutbox.Outcome(claimed, result, delivery, next), this, leaseUntil));
        }
    }

    /** Why a message of a channel with no transport fails, naming the flag that configures one. */
    static String missingTransport(Channel channel) {
        return switch (channel) {
            case EMAIL -> "no SMTP server is configured (--smtp-url)";
            case SMS -> "no SMS webhook is configured (--sms-webhook)";
            case PUSH -> "no push webhook is configured (--push-webhook)";
            case VOICE -> "no voice webhook is configured (--voice-webhook)";
            case CUSTOM -> "no transport for CUSTOM messages is configured";
        };
    }

    private void recordLoop() {
        int failures = 0;
        while (true) {
            List<Pending> batch = new ArrayList<>();
            try {
                Pending first = outcomes.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (stopping.get() && lanesIdle()) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                outcomes.drainTo(batch, RECORD_BATCH - 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            while (!batch.isEmpty()) {
                try {
                    outbox.record(batch.stream().map(Pending::outcome).toList(), owner);
                    failures = 0;
                    batch.forEach(this::recorded);
                    batch.clear();
                } catch (RuntimeException | Error e) {
                    // Errors too: a recorder that ended would leave every later outcome of this node unwritten, and
                    // each of its messages would be sent again after its lease.
                    failures++;
                    long delay = Math.min(30_000, 100L << Math.min(failures, 10));
                    LOG.warn("Writing {} message outcomes failed ({} in a row); trying again in {} ms: {}",
                            batch.size(), failures, delay, e.toString());
                    if (batch.size() > 1) {
                        isolate(batch);
                    }
                    if (!batch.isEmpty() && failures >= BARE_AFTER_FAILURES) {
                        writeBare(batch);
                    }
                    if (batch.isEmpty()) {
                        failures = 0;
                        continue;
                    }
                    // An outcome whose claim ran out is another claim's now: it is sent again with the same key.
                    long now = clock.millis();
                    batch.removeIf(pending -> {
                        boolean expired = pending.leaseUntilMs() <= now;
                        if (expired) {
                            pending.lane().released();
                        }
                        return expired;
                    });
                    if (stopping.get() && failures >= 3) {
                        batch.forEach(pending -> pending.lane().released());
                        batch.clear();
                    }
                    try {
                        Thread.sleep(delay);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    /**
     * Writes each outcome of a batch that failed on its own, so that one that cannot be written (its data sets off a
     * fault) does not hold back the others until their leases run out and they are all sent again. Three failures in
     * a row say the store itself is failing: the rest waits for the next try.
     */
    private void isolate(List<Pending> batch) {
        int failedInARow = 0;
        for (Iterator<Pending> each = batch.iterator(); each.hasNext() && failedInARow < 3; ) {
            Pending pending = each.next();
            try {
                outbox.record(List.of(pending.outcome()), owner);
                recorded(pending);
                each.remove();
                failedInARow = 0;
            } catch (RuntimeException | Error e) {
                failedInARow++;
            }
        }
    }

    /**
     * Writes outcomes that failed again and again without their event-log records and journey counts: a message
     * whose outcome is never written is sent again after every lease, for ever, which is worse than a missing record.
     */
    private void writeBare(List<Pending> batch) {
        try {
            outbox.record(batch.stream().map(Pending::outcome).toList(), owner, false);
        } catch (RuntimeException | Error e) {
            return;
        }
        LOG.warn("The outcomes of messages {} were written without their event-log records: writing those failed "
                + "{} times", batch.stream().map(pending -> pending.outcome().claimed().message().id()).toList(),
                BARE_AFTER_FAILURES);
        batch.forEach(this::recorded);
        batch.clear();
    }

    private void recorded(Pending pending) {
        pending.lane().released();
        metrics.ifPresent(m -> m.outboxSend(pending.outcome().claimed().message().channel().name(),
                pending.outcome().result().name().toLowerCase(java.util.Locale.ROOT)));
    }

    private boolean lanesIdle() {
        return lanes.values().stream().allMatch(lane -> lane.pool.isTerminated());
    }

    @Override
    public void close() {
        stopping.set(true);
        lanes.values().forEach(Lane::wake);
        long deadline = System.nanoTime() + settings.stopWait().toNanos();
        try {
            for (Lane lane : lanes.values()) {
                lane.claimer.join(Math.max(1, settings.stopWait().toMillis()));
                lane.pool.shutdown();
            }
            for (Lane lane : lanes.values()) {
                long left = deadline - System.nanoTime();
                if (!lane.pool.awaitTermination(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                    LOG.warn("{} hand-overs still in progress after {}; they are sent again after their lease",
                            lane.channel, settings.stopWait());
                    lane.pool.shutdownNow();
                }
            }
            if (started) {
                recorder.join(Math.max(1000, settings.stopWait().toMillis()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            housekeeping.shutdownNow();
            lanes.values().forEach(lane -> lane.pool.shutdownNow());
            for (Transport transport : transports.values()) {
                try {
                    transport.close();
                } catch (RuntimeException e) {
                    LOG.debug("Closing the {} transport failed", transport.channel(), e);
                }
            }
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
