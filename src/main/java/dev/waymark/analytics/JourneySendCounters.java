package dev.waymark.analytics;

import dev.waymark.messaging.JourneySends;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * dropped, behind a savepoint, so that the outcome and its event-log records still commit. Anything else unexpected
 * is dropped the same way, since a failure here would roll back the outcomes and send their messages again.
 */
public final class JourneySendCounters implements JourneySends {
    private static final Logger LOG = LoggerFactory.getLogger(JourneySendCounters.class);
    private static final String SAVEPOINT = "journey_send_counts";

    private final JourneyCounters counters;

    public JourneySendCounters(JourneyCounters counters) {
        this.counters = counters;
    }

    @Override
    public void recorded(Handle handle, List<Send> sends, Instant at) {
        Map<List<String>, List<CounterDelta>> byJourney = new LinkedHashMap<>();
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
        byJourney.forEach((journey, deltas) -> add(handle, journey.get(0), journey.get(1), deltas, at));
    }

    private void add(Handle handle, String appId, String journeyId, List<CounterDelta> deltas, Instant at) {
        // Plain SQL rather than Handle.savepoint: Jdbi's JDBC savepoints (PostgreSQL) and the SQLite store's own
        // transaction handler disagree on whether a savepoint outlives a rollback to it; these statements do not.
        handle.execute("SAVEPOINT " + SAVEPOINT);
        try {
            counters.add(handle, appId, journeyId, deltas, at);
        } catch (RuntimeException e) {
            // Most likely the journey was deleted meanwhile (its counters' foreign key); a broken connection fails
            // the rollback below too, and then the whole record is retried as it should be.
            handle.execute("ROLLBACK TO SAVEPOINT " + SAVEPOINT);
            LOG.debug("Journey {} of app {}: {} send counts dropped ({})", journeyId, appId, deltas.size(),
                    e.toString());
        }
        handle.execute("RELEASE SAVEPOINT " + SAVEPOINT);
    }
}
