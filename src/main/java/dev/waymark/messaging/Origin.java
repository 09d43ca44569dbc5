package dev.waymark.messaging;

import java.util.Optional;

/**
 * Why a message exists: a journey's message activity (journey, run and activity ids) or a direct send
 * (SendMessages / SendUsersMessages, with the request's TraceId when it had one).
 */
public record Origin(Optional<String> journeyId, Optional<String> runId, Optional<String> activityId,
                     Optional<String> traceId) {
    public static Origin direct(Optional<String> traceId) {
        return new Origin(Optional.empty(), Optional.empty(), Optional.empty(), traceId);
    }

    public static Origin journey(String journeyId, String runId, String activityId) {
        return new Origin(Optional.of(journeyId), Optional.of(runId), Optional.of(activityId), Optional.empty());
    }
}
