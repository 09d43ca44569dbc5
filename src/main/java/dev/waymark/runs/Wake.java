package dev.waymark.runs;

import java.time.Instant;

/** A journey whose runs need the planner at {@code at}. */
public record Wake(String journeyId, Instant at) {}
