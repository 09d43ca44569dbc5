package dev.waymark.domain;

import java.time.Instant;

/** One run of a journey: one scheduled entry of endpoints. {@code sequence} is its 1-based number in the journey. */
public record JourneyRun(String journeyId, String runId, int sequence, RunStatus status,
                         Instant scheduledAt, Instant createdAt, Instant updatedAt) {}
