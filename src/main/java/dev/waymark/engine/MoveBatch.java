package dev.waymark.engine;

import dev.waymark.analytics.CounterDelta;
import dev.waymark.analytics.JourneyCounters;
import dev.waymark.audience.EventAppender;
import dev.waymark.audience.EventRecord;
import dev.waymark.messaging.NewMessage;
import dev.waymark.messaging.Outbox;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * What one transaction of moves writes besides the participants' rows: their counters (per app and journey), their
 * outbox messages and their event-log records. Written together by {@link #write}, so a move commits with all its
 * effects or with none (engine.md E5).
 */
final class MoveBatch {
    /** Journey counters are keyed by (app, journey). */
    private record JourneyKey(String appId, String journeyId) {}

    private static final java.util.Comparator<JourneyKey> ORDER = java.util.Comparator.comparing(JourneyKey::appId)
            .thenComparing(JourneyKey::journeyId);

    /** Messages given to the outbox per call (it takes at most 10,000 at once). */
    static final int MESSAGES_PER_CALL = 1_000;

    /** Counter deltas summed per (run, activity, key) within each journey: a page of entries is a handful of rows. */
    private final Map<JourneyKey, Map<List<String>, Long>> counters = new LinkedHashMap<>();
    private final List<NewMessage> messages = new ArrayList<>();
    private final List<EventRecord> records = new ArrayList<>();
    /** Messages queued, for DailyCap and TimeframeCap: the ledger keeps them only if the move commits. */
    private final List<Sent> sent = new ArrayList<>();
    private long moves;

    /** A message queued to an endpoint by a journey (a journey_messages row to be). */
    record Sent(String appId, String endpointKey, String journeyId) {}

    void count(String appId, String journeyId, CounterDelta delta) {
        counters.computeIfAbsent(new JourneyKey(appId, journeyId), key -> new LinkedHashMap<>())
                .merge(List.of(delta.runId(), delta.activityId(), delta.key()), delta.delta(), Long::sum);
    }

    /** A participant-level count at its run. */
    void countRun(Participant p, String key, long delta) {
        count(p.appId(), p.journeyId(), CounterDelta.run(p.runId(), key, delta));
    }

    /** A count at one activity of the participant's run. */
    void countActivity(Participant p, String activityId, String key) {
        count(p.appId(), p.journeyId(), CounterDelta.activity(p.runId(), activityId, key, 1));
    }

    void queue(NewMessage message) {
        messages.add(message);
    }

    void record(EventRecord record) {
        records.add(record);
    }

    /** A message queued to the endpoint, written to the cap ledger with the move. */
    void sent(String appId, String endpointKey, String journeyId) {
        sent.add(new Sent(appId, endpointKey, journeyId));
    }

    /**
     * The messages this batch queued to the endpoint, not in the ledger yet: {by the journey, by any journey of the
     * app}. All are queued now, so inside every cap's window.
     */
    long[] pendingSent(String appId, String endpointKey, String journeyId) {
        long[] counts = {0, 0};
        for (Sent message : sent) {
            if (message.appId().equals(appId) && message.endpointKey().equals(endpointKey)) {
                counts[1]++;
                if (message.journeyId().equals(journeyId)) {
                    counts[0]++;
                }
            }
        }
        return counts;
    }

    /** Takes over another batch's effects (one participant's, once its move succeeded). */
    void absorb(MoveBatch other) {
        other.counters.forEach((key, deltas) -> deltas.forEach((counter, delta) -> counters
                .computeIfAbsent(key, k -> new LinkedHashMap<>()).merge(counter, delta, Long::sum)));
        messages.addAll(other.messages);
        records.addAll(other.records);
        sent.addAll(other.sent);
        moves += other.moves;
    }

    void moved() {
        moves++;
    }

    long moves() {
        return moves;
    }

    int messages() {
        return messages.size();
    }

    /** Where a batch's effects are written. */
    record Sinks(JourneyCounters counters, Outbox outbox, EventAppender events) {}

    void write(Handle handle, Sinks sinks, Instant at) {
        JourneyCounters journeyCounters = sinks.counters();
        Outbox outbox = sinks.outbox();
        EventAppender events = sinks.events();
        // In slices: a batch of 200 moves through a long chain of message activities can queue more than the
        // outbox takes in one call, and a batch that fails whole fails on every try.
        for (int from = 0; from < messages.size(); from += MESSAGES_PER_CALL) {
            outbox.enqueue(handle, messages.subList(from, Math.min(messages.size(), from + MESSAGES_PER_CALL)));
        }
        if (!records.isEmpty()) {
            events.append(handle, records);
        }
        if (!sent.isEmpty()) {
            SqlMessageLedger.add(handle, sent, at);
        }
        // The counters last and in a fixed order (the store sorts rows), so batches on two nodes never deadlock.
        counters.entrySet().stream().sorted(Map.Entry.comparingByKey(ORDER)).forEach(entry -> {
            List<CounterDelta> deltas = new ArrayList<>();
            entry.getValue().forEach((counter, delta) -> deltas.add(new CounterDelta(counter.get(0), counter.get(1),
                    counter.get(2), delta)));
            JourneyKey key = entry.getKey();
            for (int from = 0; from < deltas.size(); from += JourneyCounters.MAX_DELTAS) {
                journeyCounters.add(handle, key.appId(), key.journeyId(),
                        deltas.subList(from, Math.min(deltas.size(), from + JourneyCounters.MAX_DELTAS)), at);
            }
        });
    }
}
