package dev.waymark.messaging;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Told of every attempt of a journey message inside the transaction that records its outcome, so that the journey's
 * activity counters (SUCCESS, FAILURE, FAILURE_PERMANENT, CUSTOM_DELIVERY_FAILURE) commit with it and never disagree
 * with the event log.
 */
@FunctionalInterface
public interface JourneySends {
    /** Counts nothing (tests; a server without execution metrics). */
    JourneySends NONE = (handle, sends, at) -> { };

    /** One attempt of a journey message: where it came from and its {@code journey_send_status}. */
    record Send(String appId, String journeyId, String runId, String activityId, String status) {}

    /**
     * The attempts recorded in this transaction; never empty. Must not throw for data it does not expect (a journey
     * deleted meanwhile, say): a failure rolls the outcomes back, and their messages are sent again after the lease.
     */
    void recorded(Handle handle, List<Send> sends, Instant at);
}
