package dev.waymark.http;

import java.util.Set;

/** Waymark's own paths, outside the Pinpoint API: no signature, no in-flight bound (health must answer). */
public final class SystemPaths {
    private static final Set<String> PATHS = Set.of("/health", "/metrics");

    private SystemPaths() {}

    public static boolean contains(String rawPath) {
        return PATHS.contains(rawPath);
    }
}
