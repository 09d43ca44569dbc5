package dev.waymark.engine;

import java.time.Instant;
import java.util.Optional;

/**
 * One endpoint's place in one journey (engine.md E5): its row. {@code entries} is the number of its current (or last)
 * entry, {@code messages} how many messages the journey has queued to it over every entry (TotalCap);
 * {@code due} is empty when nothing is due (finished, or frozen by a pause).
 */
public record Participant(String appId, String journeyId, String endpointKey, String endpointId, int entries,
                          String runId, Optional<String> activityId, Phase phase, Optional<Instant> due,
                          Instant arrivedAt, Instant enteredAt, int messages, Optional<Instant> finishedAt) {

    /** Where a participant is in its activity. */
    public enum Phase {
        /** Waits for the run's start time in its own time zone (LocalTime). */
        ENTERING,
        /** Due to run its activity. */
        ARRIVING,
        /** In a Wait. */
        WAITING,
        /** In a split's EvaluationWaitTime. */
        EVALUATING,
        /** Its message is held by quiet time or closed hours (WaitForQuietTime). */
        HOLDING,
        /** Left the journey. */
        FINISHED
    }

    /** The idempotency key of its message at {@code activityId}: the same on every attempt of that message. */
    public String messageKey(String activityId) {
        return journeyId + "/" + endpointKey + "/" + entries + "/" + activityId;
    }

    Participant at(String activity, Phase newPhase, Optional<Instant> newDue, Instant arrived) {
        return new Participant(appId, journeyId, endpointKey, endpointId, entries, runId, Optional.of(activity),
                newPhase, newDue, arrived, enteredAt, messages, finishedAt);
    }

    /** The same place, due again at {@code at} (a move that failed, a journey that cannot be read). */
    Participant retryAt(Instant at) {
        return new Participant(appId, journeyId, endpointKey, endpointId, entries, runId, activityId, phase,
                Optional.of(at), arrivedAt, enteredAt, messages, finishedAt);
    }

    Participant finished(Instant at) {
        return new Participant(appId, journeyId, endpointKey, endpointId, entries, runId, activityId, Phase.FINISHED,
                Optional.empty(), arrivedAt, enteredAt, messages, Optional.of(at));
    }

    Participant entered(Instant at) {
        return new Participant(appId, journeyId, endpointKey, endpointId, entries, runId, activityId, phase, due,
                arrivedAt, at, messages, finishedAt);
    }

    Participant withMessage() {
        return new Participant(appId, journeyId, endpointKey, endpointId, entries, runId, activityId, phase, due,
                arrivedAt, enteredAt, messages + 1, finishedAt);
    }
}
