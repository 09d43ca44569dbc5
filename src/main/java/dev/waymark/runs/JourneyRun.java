package dev.waymark.runs;

import dev.waymark.wire.Ids;
import java.time.Instant;

/**
 * One run of a journey: one scheduled entry of endpoints. {@code sequence} is its 1-based number in the journey;
 * {@code startedAt} is when it went RUNNING (null before that).
 */
public record JourneyRun(String journeyId, String runId, int sequence, RunStatus status,
                         Instant scheduledAt, Instant createdAt, Instant updatedAt, Instant startedAt) {

    /** A new SCHEDULED run. */
    public static JourneyRun scheduled(String journeyId, int sequence, Instant scheduledAt, Instant createdAt) {
        return new JourneyRun(journeyId, Ids.newId(), sequence, RunStatus.SCHEDULED, scheduledAt, createdAt, createdAt,
                null);
    }
}
