package dev.waymark.messaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.audience.EventAppender;
import dev.waymark.audience.EventRecord;
import dev.waymark.store.sql.Dialect;
import dev.waymark.wire.Json;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The outbox in the SQL store (table {@code outbox}, rate windows in {@code send_rates}): queuing, the senders' claims
 * and outcomes, withdrawal, and waiting for first answers. The senders ({@link OutboxSender}) drive it.
 *
 * <p>A claim commits SENDING with a lease before any transport is called, so a message is handed over at most once
 * per lease; only a node that dies (or hangs) past its lease lets another send it again, with the same idempotency
 * key. An outcome is written only by the claim that holds the message (same owner, same attempt), so a late answer
 * from a lost lease changes nothing.
 */
public final class SqlOutbox implements Outbox {
    /** The most messages one enqueue call takes, and the most ids one awaitFirstAnswer watches. */
    public static final int MAX_BATCH = 10_000;
    private static final String DUE = "state IN ('QUEUED', 'RETRYING', 'SENDING')";
    /** How long a HELD row has been held: it was held at its {@code updated_ms} (a clock step back counts none). */
    private static final String PAUSED = "(CASE WHEN updated_ms < :now THEN :now - updated_ms ELSE 0 END)";
    private static final String COLUMNS = "id, app_id, idempotency_key, channel, destination, endpoint_id, content, "
            + "journey_id, run_id, activity_id, trace_id, attempts, created_ms";
    /** How often a waiting awaitFirstAnswer reads the table: another node may be the one sending. */
    private static final long ANSWER_POLL_MS = 200;

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final EventAppender events;
    private final Clock clock;
    private volatile Consumer<Set<Channel>> onEnqueue = channels -> { };
    private volatile JourneySends journeySends = JourneySends.NONE;
    /** Counts recorded answers on this node; waiters sleep on it between reads. */
    private final Object answers = new Object();
    private long answerVersion;

    public SqlOutbox(Jdbi jdbi, Dialect dialect, EventAppender events, Clock clock) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.events = events;
        this.clock = clock;
    }

    /** A message as a claim hands it out: ready for its transport, with when it was queued (for its deadline). */
    record Claimed(OutboundMessage message, long createdMs) {}

    /** What one attempt came to, for {@link #record}: the result, the answer, and when a retry is due. */
    record Outcome(Claimed claimed, OutboxEvents.Result result, Delivery delivery, long nextAttemptMs) {}

    /** Told of the channels of messages queued on this node (after commit when the outbox made the transaction). */
    void onEnqueue(Consumer<Set<Channel>> listener) {
        this.onEnqueue = listener;
    }

    /** Tells {@code listener} of each journey message's attempts inside the transaction that records them. */
    public void onJourneySends(JourneySends listener) {
        this.journeySends = listener;
    }

    @Override
    public void enqueue(Handle handle, List<NewMessage> messages) {
        insert(handle, messages);
        // The caller commits later: the sender looks now and again shortly (OutboxSender.wake).
        notifyEnqueued(messages);
    }

    @Override
    public void enqueue(List<NewMessage> messages) {
        jdbi.useTransaction(handle -> insert(handle, messages));
        notifyEnqueued(messages);
    }

    private void notifyEnqueued(List<NewMessage> messages) {
        if (!messages.isEmpty()) {
            Set<Channel> channels = EnumSet.noneOf(Channel.class);
            messages.forEach(message -> channels.add(message.channel()));
            onEnqueue.accept(channels);
        }
    }

    private void insert(Handle handle, List<NewMessage> messages) {
        if (messages.size() > MAX_BATCH) {
            throw new IllegalArgumentException("at most " + MAX_BATCH + " messages are queued at once, not "
                    + messages.size());
        }
        if (messages.isEmpty()) {
            return;
        }
        long now = clock.millis();
        // A key already queued (or a message id already used) keeps the first row: a repeat adds nothing.
        PreparedBatch batch = handle.prepareBatch("INSERT INTO outbox (id, app_id, idempotency_key, channel, "
                + "destination, endpoint_id, content, journey_id, run_id, activity_id, trace_id, rate_key, "
                + "rate_per_second, state, attempts, next_attempt_ms, created_ms, status_code, updated_ms) VALUES (:id, "
                + ":app, :key, :channel, :destination, :endpoint, :content, :journey, :run, :activity, :trace, "
                + ":rateKey, :rate, 'QUEUED', 0, :now, :now, 0, :now) ON CONFLICT DO NOTHING");
        for (NewMessage message : messages) {
            Origin origin = message.origin();
            batch.bind("id", message.id()).bind("app", message.appId()).bind("key", message.idempotencyKey())
                    .bind("channel", message.channel().name()).bind("destination", message.destination())
                    .bind("endpoint", message.endpointId().orElse(null))
                    .bind("content", new String(Json.write(message.content()), StandardCharsets.UTF_8))
                    .bind("journey", origin.journeyId().orElse(null)).bind("run", origin.runId().orElse(null))
                    .bind("activity", origin.activityId().orElse(null)).bind("trace", origin.traceId().orElse(null))
                    .bind("rateKey", message.rate().map(NewMessage.Rate::key).orElse(null))
                    .bind("rate", message.rate().map(rate -> Math.max(1, rate.perSecond())).orElse(null))
                    .bind("now", now).add();
        }
        batch.execute();
    }

    /**
     * Claims up to {@code limit} due messages of one channel for {@code owner} until {@code leaseUntil}, in one
     * committed transaction: first those without a rate, then those with one, as far as each rate key's current
     * one-second window has room. Rated messages beyond it are moved to the coming windows, so that they do not stand
     * in front of the next claim.
     */
    List<Claimed> claim(Channel channel, String owner, long leaseUntil, int limit) {
        long now = clock.millis();
        if (!anyDue(channel, now)) {
            return List.of();
        }
        return jdbi.inTransaction(handle -> {
            List<String> ids = new ArrayList<>(handle.createQuery("SELECT id FROM outbox WHERE channel = :channel AND "
                            + DUE + " AND rate_key IS NULL AND next_attempt_ms <= :now ORDER BY next_attempt_ms "
                            + "LIMIT :limit" + skipLocked())
                    .bind("channel", channel.name()).bind("now", now).bind("limit", limit).mapTo(String.class).list());
            if (ids.size() < limit) {
                ids.addAll(grantRated(handle, channel, now, limit - ids.size()));
            }
            if (ids.isEmpty()) {
                return List.<Claimed>of();
            }
            return handle.createQuery("UPDATE outbox SET state = 'SENDING', lease_owner = :owner, "
                            + "lease_until_ms = :until, next_attempt_ms = :until, attempts = attempts + 1, "
                            + "updated_ms = :now WHERE id IN (<ids>) RETURNING " + COLUMNS)
                    .bind("owner", owner).bind("until", leaseUntil).bind("now", now).bindList("ids", ids)
                    .map((rs, ctx) -> claimed(rs)).list();
        });
    }

    /** A read without the writer lock: an idle outbox costs no write transaction per poll. */
    private boolean anyDue(Channel channel, long now) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT 1 FROM outbox WHERE channel = :channel AND "
                        + DUE + " AND rate_key IS NULL AND next_attempt_ms <= :now UNION ALL SELECT 1 FROM outbox "
                        + "WHERE channel = :channel AND " + DUE + " AND rate_key IS NOT NULL AND next_attempt_ms <= :now "
                        + "LIMIT 1")
                .bind("channel", channel.name()).bind("now", now).mapTo(Integer.class).findFirst().isPresent());
    }

    private record Rated(String id, String key, int perSecond) {}

    private List<String> grantRated(Handle handle, Channel channel, long now, int limit) {
        List<Rated> candidates = handle.createQuery("SELECT id, rate_key, rate_per_second FROM outbox WHERE "
                        + "channel = :channel AND " + DUE + " AND rate_key IS NOT NULL AND next_attempt_ms <= :now "
                        + "ORDER BY next_attempt_ms LIMIT :limit" + skipLocked())
                .bind("channel", channel.name()).bind("now", now).bind("limit", limit)
                .map((rs, ctx) -> new Rated(rs.getString(1), rs.getString(2), rs.getInt(3))).list();
        if (candidates.isEmpty()) {
            return List.of();
        }
        Map<String, List<Rated>> byKey = new LinkedHashMap<>();
        candidates.forEach(rated -> byKey.computeIfAbsent(rated.key(), key -> new ArrayList<>()).add(rated));
        long window = now - Math.floorMod(now, 1000L);
        List<String> granted = new ArrayList<>();
        PreparedBatch deferred = handle.prepareBatch("UPDATE outbox SET next_attempt_ms = :at WHERE id = :id");
        int deferredCount = 0;
        for (Map.Entry<String, List<Rated>> entry : byKey.entrySet()) {
            String key = entry.getKey();
            List<Rated> rows = entry.getValue();
            int perSecond = rows.stream().mapToInt(Rated::perSecond).min().orElse(1);
            // Nodes claiming the same key at once would each see the window's room before the other's share.
            dialect.lockForTransaction(handle, "send-rate:" + key);
            int used = handle.createQuery("SELECT used FROM send_rates WHERE rate_key = :key AND window_start_ms = "
                            + ":window").bind("key", key).bind("window", window).mapTo(Integer.class).findOne().orElse(0);
            int take = Math.max(0, Math.min(rows.size(), perSecond - used));
            for (int i = 0; i < rows.size(); i++) {
                if (i < take) {
                    granted.add(rows.get(i).id());
                } else {
                    // The excess waits for the windows it can expect to fit in, spread one window per perSecond.
                    long at = window + 1000L * (1 + (i - take) / perSecond);
                    deferred.bind("at", at).bind("id", rows.get(i).id()).add();
                    deferredCount++;
                }
            }
            if (take > 0) {
                handle.createUpdate("INSERT INTO send_rates (rate_key, window_start_ms, used) VALUES (:key, :window, "
                                + ":take) ON CONFLICT (rate_key, window_start_ms) DO UPDATE SET used = send_rates.used "
                                + "+ :take").bind("key", key).bind("window", window).bind("take", take).execute();
            }
        }
        if (deferredCount > 0) {
            deferred.execute();
        }
        return granted;
    }

    private String skipLocked() {
        // Nodes claim side by side on PostgreSQL; on SQLite the writer lock already makes claims one at a time.
        return dialect.skipLockedPolling() ? " FOR UPDATE SKIP LOCKED" : "";
    }

    private static Claimed claimed(ResultSet rs) throws SQLException {
        Origin origin = new Origin(Optional.ofNullable(rs.getString("journey_id")),
                Optional.ofNullable(rs.getString("run_id")), Optional.ofNullable(rs.getString("activity_id")),
                Optional.ofNullable(rs.getString("trace_id")));
        OutboundMessage message = new OutboundMessage(rs.getString("id"), rs.getString("app_id"),
                rs.getString("idempotency_key"), Channel.valueOf(rs.getString("channel")), rs.getString("destination"),
                Optional.ofNullable(rs.getString("endpoint_id")),
                (ObjectNode) Json.parseStored(rs.getString("content")), origin, rs.getInt("attempts"));
        return new Claimed(message, rs.getLong("created_ms"));
    }

    /**
     * Writes the outcomes of several attempts, and their event-log records, in one transaction. An outcome whose claim
     * is no longer the message's (its lease ran out and another took it) is dropped with its records; how many were
     * written.
     */
    int record(List<Outcome> outcomes, String owner) {
        return record(outcomes, owner, true);
    }

    /**
     * As {@link #record(List, String)}; without the event-log records and journey counts when {@code withRecords} is
     * false (the last resort for outcomes whose records cannot be written).
     */
    int record(List<Outcome> outcomes, String owner, boolean withRecords) {
        if (outcomes.isEmpty()) {
            return 0;
        }
        long now = clock.millis();
        int written = jdbi.inTransaction(handle -> {
            PreparedBatch batch = handle.prepareBatch("UPDATE outbox SET state = :state, next_attempt_ms = :next, "
                    + "lease_owner = NULL, lease_until_ms = NULL, status_code = :code, status_message = :message, "
                    + "provider_message_id = COALESCE(:provider, provider_message_id), updated_ms = :now "
                    + "WHERE id = :id AND state = 'SENDING' AND lease_owner = :owner AND attempts = :attempt");
            for (Outcome outcome : outcomes) {
                OutboundMessage message = outcome.claimed().message();
                batch.bind("state", stateOf(outcome.result()).name())
                        .bind("next", outcome.result() == OutboxEvents.Result.RETRYING ? outcome.nextAttemptMs() : now)
                        .bind("code", outcome.delivery().statusCode())
                        .bind("message", OutboxEvents.bounded(outcome.delivery().statusMessage()))
                        .bind("provider", outcome.delivery().providerMessageId().map(OutboxEvents::bounded)
                                .orElse(null))
                        .bind("now", now).bind("id", message.id()).bind("owner", owner)
                        .bind("attempt", message.attempt()).add();
            }
            int[] counts = batch.execute();
            List<EventRecord> records = new ArrayList<>();
            List<JourneySends.Send> sends = new ArrayList<>();
            int count = 0;
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) {
                    count++;
                    if (!withRecords) {
                        continue;
                    }
                    Outcome outcome = outcomes.get(i);
                    OutboundMessage message = outcome.claimed().message();
                    records.addAll(OutboxEvents.of(message, outcome.result(), outcome.delivery(), now, events));
                    Origin origin = message.origin();
                    if (origin.journeyId().isPresent()) {
                        sends.add(new JourneySends.Send(message.appId(), origin.journeyId().get(),
                                origin.runId().orElse(""), origin.activityId().orElse(""),
                                OutboxEvents.journeySendStatus(message.channel(), outcome.result())));
                    }
                }
            }
            if (!records.isEmpty()) {
                events.append(handle, records);
            }
            if (!sends.isEmpty()) {
                journeySends.recorded(handle, sends, java.time.Instant.ofEpochMilli(now));
            }
            return count;
        });
        synchronized (answers) {
            answerVersion++;
            answers.notifyAll();
        }
        return written;
    }

    /**
     * Returns a claimed message to the table untried (its claim ran short before its turn came): due now, as it was
     * before the claim, the attempt not counted. Only the claim that holds it can; whether it did.
     */
    boolean giveBack(Claimed claimed, String owner) {
        long now = clock.millis();
        return jdbi.withHandle(handle -> handle.createUpdate("UPDATE outbox SET state = CASE WHEN status_message IS "
                        + "NULL THEN 'QUEUED' ELSE 'RETRYING' END, attempts = attempts - 1, lease_owner = NULL, "
                        + "lease_until_ms = NULL, next_attempt_ms = :now, updated_ms = :now WHERE id = :id AND "
                        + "state = 'SENDING' AND lease_owner = :owner AND attempts = :attempt")
                .bind("now", now).bind("id", claimed.message().id()).bind("owner", owner)
                .bind("attempt", claimed.message().attempt()).execute()) > 0;
    }

    static MessageStatus.State stateOf(OutboxEvents.Result result) {
        return switch (result) {
            case DELIVERED -> MessageStatus.State.DELIVERED;
            case RETRYING -> MessageStatus.State.RETRYING;
            case FAILED_PERMANENT, FAILED_EXHAUSTED -> MessageStatus.State.FAILED;
        };
    }

    @Override
    public int withdraw(Handle handle, String appId, String journeyId) {
        return handle.createUpdate("UPDATE outbox SET state = 'WITHDRAWN', updated_ms = :now WHERE app_id = :app "
                        + "AND journey_id = :journey AND state IN ('QUEUED', 'RETRYING', 'HELD')")
                .bind("now", clock.millis()).bind("app", appId).bind("journey", journeyId).execute();
    }

    /**
     * Where each message stands (ids not found are absent). A message sent again after a transient answer reports
     * RETRYING with that answer until the new attempt answers: it has had its first answer.
     */
    public Map<String, MessageStatus> statuses(Collection<String> ids) {
        Map<String, MessageStatus> found = new LinkedHashMap<>();
        List<String> all = List.copyOf(new LinkedHashSet<>(ids));
        for (int from = 0; from < all.size(); from += 500) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + 500));
            jdbi.useHandle(handle -> handle.createQuery("SELECT id, state, attempts, status_code, status_message, "
                            + "provider_message_id FROM outbox WHERE id IN (<ids>)").bindList("ids", chunk)
                    .map((rs, ctx) -> {
                        MessageStatus.State state = MessageStatus.State.valueOf(rs.getString("state"));
                        String message = rs.getString("status_message");
                        if (state == MessageStatus.State.SENDING && message != null) {
                            state = MessageStatus.State.RETRYING;
                        }
                        return new MessageStatus(rs.getString("id"), state, rs.getInt("attempts"),
                                rs.getInt("status_code"), message == null ? "" : message,
                                Optional.ofNullable(rs.getString("provider_message_id")));
                    }).forEach(status -> found.put(status.id(), status)));
        }
        return found;
    }

    @Override
    public Map<String, MessageStatus> awaitFirstAnswer(Collection<String> ids, Duration timeout) {
        if (ids.size() > MAX_BATCH) {
            throw new IllegalArgumentException("at most " + MAX_BATCH + " messages are awaited at once");
        }
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        Map<String, MessageStatus> result = new LinkedHashMap<>();
        Set<String> pending = new LinkedHashSet<>(ids);
        while (true) {
            long seen;
            synchronized (answers) {
                seen = answerVersion;
            }
            Map<String, MessageStatus> read = statuses(pending);
            result.putAll(read);
            pending.removeIf(id -> !read.containsKey(id) || answered(read.get(id)));
            long left = deadline - System.nanoTime();
            if (pending.isEmpty() || left <= 0) {
                return ordered(ids, result);
            }
            synchronized (answers) {
                if (answerVersion == seen) {
                    try {
                        answers.wait(Math.max(1, Math.min(ANSWER_POLL_MS, left / 1_000_000)));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return ordered(ids, result);
                    }
                }
            }
        }
    }

    private static boolean answered(MessageStatus status) {
        return switch (status.state()) {
            case QUEUED, SENDING -> false;
            // Held before any attempt: still waiting for its first answer; held between retries: it had one.
            case HELD -> !status.statusMessage().isEmpty();
            default -> true;
        };
    }

    private static Map<String, MessageStatus> ordered(Collection<String> ids, Map<String, MessageStatus> found) {
        Map<String, MessageStatus> ordered = new LinkedHashMap<>();
        ids.forEach(id -> {
            MessageStatus status = found.get(id);
            if (status != null) {
                ordered.put(id, status);
            }
        });
        return ordered;
    }

    /**
     * Deletes final messages last changed before {@code cutoffMs}, and rate windows older than a minute, in bounded
     * batches; how many messages went.
     */
    int prune(long cutoffMs, int batches) {
        int deleted = 0;
        for (int i = 0; i < batches; i++) {
            int batch = jdbi.withHandle(handle -> handle.createUpdate("DELETE FROM outbox WHERE id IN (SELECT id FROM "
                    + "outbox WHERE state IN ('DELIVERED', 'FAILED', 'WITHDRAWN') AND updated_ms < :cutoff LIMIT 1000)")
                    .bind("cutoff", cutoffMs).execute());
            deleted += batch;
            if (batch < 1000) {
                break;
            }
        }
        long windows = clock.millis() - 60_000;
        jdbi.useHandle(handle -> handle.createUpdate("DELETE FROM send_rates WHERE window_start_ms < :cutoff")
                .bind("cutoff", windows).execute());
        return deleted;
    }

    /**
     * Messages waiting or in hand, by state (QUEUED, RETRYING, HELD, SENDING), and when the longest-waiting due one
     * was due (held ones are not due: a long pause must not look like a stuck sender).
     */
    record Depth(Map<MessageStatus.State, Long> byState, Optional<Long> oldestDueMs) {}

    /** The states {@link #depth} counts. */
    static final List<MessageStatus.State> WAITING = List.of(MessageStatus.State.QUEUED,
            MessageStatus.State.RETRYING, MessageStatus.State.HELD, MessageStatus.State.SENDING);

    Depth depth() {
        return jdbi.withHandle(handle -> {
            Map<MessageStatus.State, Long> counts = new LinkedHashMap<>();
            for (MessageStatus.State state : WAITING) {
                counts.put(state, 0L);
            }
            handle.createQuery("SELECT state, COUNT(*) FROM outbox WHERE state IN ('QUEUED', 'RETRYING', 'SENDING', "
                            + "'HELD') GROUP BY state")
                    .map((rs, ctx) -> Map.entry(MessageStatus.State.valueOf(rs.getString(1)), rs.getLong(2)))
                    .forEach(entry -> counts.put(entry.getKey(), entry.getValue()));
            long oldest = handle.createQuery("SELECT COALESCE(MIN(next_attempt_ms), -1) FROM outbox WHERE state IN "
                    + "('QUEUED', 'RETRYING')").mapTo(Long.class).one();
            return new Depth(counts, oldest < 0 ? Optional.empty() : Optional.of(oldest));
        });
    }

    /**
     * {@inheritDoc} A held row is outside {@link #DUE}, so no claim sees it; its {@code updated_ms} keeps when it was
     * held, which {@link #release} needs. A message in a transport's hands (SENDING) is not held: if its attempt
     * answers transiently, its retry is RETRYING and not held (the engine may hold again).
     */
    @Override
    public int hold(Handle handle, String appId, String journeyId) {
        return handle.createUpdate("UPDATE outbox SET state = 'HELD', updated_ms = :now WHERE app_id = :app "
                        + "AND journey_id = :journey AND state IN ('QUEUED', 'RETRYING')")
                .bind("now", clock.millis()).bind("app", appId).bind("journey", journeyId).execute();
    }

    /**
     * {@inheritDoc} The time a message spent held does not count: its due time and its queuing time (from which the
     * hour of retries runs) move on by the pause, so a message that was due is due at once (before those queued
     * since), a retry waits what was left of its back-off, and a long pause does not use up its retries. It is
     * QUEUED again, or RETRYING when a transport has answered it before, with its attempts kept.
     */
    @Override
    public int release(Handle handle, String appId, String journeyId) {
        return handle.createUpdate("UPDATE outbox SET state = CASE WHEN status_message IS NULL THEN 'QUEUED' ELSE "
                        + "'RETRYING' END, next_attempt_ms = next_attempt_ms + " + PAUSED + ", created_ms = "
                        + "created_ms + " + PAUSED + ", updated_ms = :now WHERE app_id = :app AND journey_id = :journey "
                        + "AND state = 'HELD'")
                .bind("now", clock.millis()).bind("app", appId).bind("journey", journeyId).execute();
    }
}
