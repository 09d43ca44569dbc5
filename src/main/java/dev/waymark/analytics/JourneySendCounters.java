package dev.waymark.analytics;

import dev.waymark.messaging.JourneySends;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts each attempt of a journey message at its run and activity under its journey_send_status, in the
 * transaction the outbox records the attempt in (engine.md E6): SUCCESS when the provider accepted it, FAILURE for
 * each attempt that will be retried, FAILURE_PERMANENT or CUSTOM_DELIVERY_FAILURE when it failed for good. The engine
 * counts the messages it never queued (UNSUPPORTED_CHANNEL, DAILY_CAP, ...) itself, with its move.
 *
 * <p>A journey deleted while its message was in a transport's hands has no counters left to add to: its counts are
 * dropped, so that the outcome and its event-log records still commit. Whether the journey exists is read with a
 * key-share lock on PostgreSQL, so a deletion cannot slip in between. Any other failure (a deadlock, a lost
 * connection) fails the whole record, which the outbox tries again: counts are never silently lost. Journeys are
 * counted in id order, the same order the engine's moves write them in, so the two never deadlock each other.
 */
public final class JourneySendCounters implements JourneySends {
    private static final Logger LOG = LoggerFactory.getLogger(JourneySendCounters.class);

    private final JourneyCounters counters;
    private final String keyShare;

    /** {@code lockRows}: the store takes row locks (PostgreSQL), so the journey's row is key-share locked. */
    public JourneySendCounters(JourneyCounters counters, boolean lockRows) {
        this.counters = counters;
        this.keyShare = lockRows ? " FOR KEY SHARE" : "";
    }

    @Override
    public void recorded(Handle handle, List<Send> sends, Instant at) {
        Map<List<String>, List<CounterDelta>> byJourney = new TreeMap<>(
                Comparator.comparing((List<String> key) -> key.get(0)).thenComparing(key -> key.get(1)));
        for (Send send : sends) {
            CounterDelta delta;
            try {
                delta = CounterDelta.activity(send.runId(), send.activityId(), send.status(), 1);
            } catch (IllegalArgumentException e) {
                LOG.debug("A journey send of journey {} is not counted: {}", send.journeyId(), e.getMessage());
                continue;
            }
            byJourney.computeIfAbsent(List.of(send.appId(), send.journeyId()), journey -> new ArrayList<>())
                    .add(delta);
        }
        byJourney.forEach((journey, deltas) -> {
            boolean exists = handle.createQuery("SELECT 1 FROM journeys WHERE id = :journey AND app_id = :app"
                            + keyShare)
                    .bind("journey", journey.get(1)).bind("app", journey.get(0)).mapTo(Integer.class).findOne()
                    .isPresent();
            if (exists) {
                counters.add(handle, journey.get(0), journey.get(1), deltas, at);
            } else {
                LOG.debug("Journey {} of app {} is gone: {} send counts dropped", journey.get(1), journey.get(0),
                        deltas.size());
            }
        });
    }
}
