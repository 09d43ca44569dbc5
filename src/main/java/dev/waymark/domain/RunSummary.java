package dev.waymark.domain;

import java.time.Instant;

/** A run as its journey's history lists it (GetJourneyRuns): no more than a listing reads. */
public record RunSummary(String runId, RunStatus status, Instant createdAt, Instant updatedAt) {}
