package dev.waymark.analytics;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The execution counters of journeys: the one way the engine records what its moves did, so that the execution
 * metrics operations answer exact figures.
 *
 * <p>The contract for the engine:
 * <ul>
 *   <li>Call {@link #add} with the {@link Handle} of the transaction that makes the move (a participant enters,
 *       leaves, is sent down a branch, a message is queued or refused): the counts commit or roll back with the
 *       move, so metrics never disagree with state, even across a crash.</li>
 *   <li>Record each fact once, where it happened: at its run (participant-level keys, activity "") or at its run and
 *       activity. The journey-level and journey-activity figures are sums over every run, computed on read. A count
 *       that belongs to no run (an event-started entry without one) uses run "".</li>
 *   <li>Use the key names of {@link MetricKeys}; a key never added is absent from the metrics, a key added and back
 *       to zero answers "0".</li>
 *   <li>Deltas for the same counter in one call are summed before they are written; the rows are written in a fixed
 *       order, so two transactions adding to the same counters cannot deadlock each other.</li>
 * </ul>
 */
public interface JourneyCounters {
    /** The most counter rows one {@link #add} writes (a move touches a handful). */
    int MAX_DELTAS = 1_000;

    /**
     * Adds {@code deltas} to the counters of journey {@code journeyId} of app {@code appId} inside the caller's
     * transaction, stamping them changed at {@code at}. More than {@link #MAX_DELTAS} distinct counters is an
     * IllegalArgumentException: a bug in the caller, not client input.
     */
    void add(Handle handle, String appId, String journeyId, List<CounterDelta> deltas, Instant at);

    /**
     * The counters of one scope summed over runs: {@code runId} empty for every run, {@code activityId} "" for the
     * participant-level keys. Reads on its own connection.
     */
    CounterReading read(String appId, String journeyId, Optional<String> runId, String activityId);
}
