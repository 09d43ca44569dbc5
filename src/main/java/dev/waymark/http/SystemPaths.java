package dev.waymark.http;

import java.util.Set;

/**
 * Waymark's own paths, outside the Pinpoint API: no signature, no in-flight bound (health must answer). The tracking
 * URLs in emails ({@code /t/o/}, {@code /t/c/}, {@code /t/u/} and a token) are among them: recipients do not sign.
 */
public final class SystemPaths {
    private static final Set<String> PATHS = Set.of("/health", "/metrics");

    private static final String TRACKING_PREFIX = "/t/";

    private SystemPaths() {}

    /** Whether the path is a tracking URL of an email: they get permits of their own, apart from /health's. */
    public static boolean tracking(String rawPath) {
        return rawPath != null && rawPath.startsWith(TRACKING_PREFIX);
    }

    public static boolean contains(String rawPath) {
        return PATHS.contains(rawPath) || rawPath != null && rawPath.startsWith(TRACKING_PREFIX);
    }
}
