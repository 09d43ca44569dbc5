package dev.waymark.apps;

import java.time.Instant;

/** A Pinpoint application (project). */
public record App(String id, String name, Instant createdAt) {}
