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

    /** Counter deltas summed per (run, activity, key) within each journey: a page of entries is a handful of rows. */
    private final Map<JourneyKey, Map<List<String>, Long>> counters = new LinkedHashMap<>();
    private final List<NewMessage> messages = new ArrayList<>();
    private final List<EventRecord> records = new ArrayList<>();
    private long moves;

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

    /** Takes over another batch's effects (one participant's, once its move succeeded). */
    void absorb(MoveBatch other) {
        other.counters.forEach((key, deltas) -> deltas.forEach((counter, delta) -> counters
                .computeIfAbsent(key, k -> new LinkedHashMap<>()).merge(counter, delta, Long::sum)));
        messages.addAll(other.messages);
        records.addAll(other.records);
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
        if (!messages.isEmpty()) {
            outbox.enqueue(handle, messages);
        }
        if (!records.isEmpty()) {
            events.append(handle, records);
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
