package dev.waymark.analytics;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** The counters of one scope (journey or run, all activities or one), with when the last of them changed. */
public record CounterReading(Map<String, Long> values, Optional<Instant> lastChanged) {}
