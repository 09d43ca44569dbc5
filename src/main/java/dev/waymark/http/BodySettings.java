package dev.waymark.http;

import java.time.Duration;

/**
 * Bounds on reading request bodies: the size kept, the shared memory budget, how slowly a body may arrive (a
 * minimum rate after a grace period, and a deadline for the whole body), and how much excess is read and thrown
 * away before answering PayloadTooLargeException.
 */
public record BodySettings(long maxBytes, int budgetBytes, long minBytesPerSecond, Duration grace, Duration deadline,
                           long maxDiscardBytes) {
    /** The defaults for a body limit: a budget of 64 MiB (at least twice the limit), 4 KiB/s after 5 s, 60 s. */
    public static BodySettings forLimit(long maxBytes) {
        int budget = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(64L * 1024 * 1024, 2 * maxBytes + 2));
        return new BodySettings(maxBytes, budget, 4096, Duration.ofSeconds(5), Duration.ofSeconds(60),
                64L * 1024 * 1024);
    }

    public BodySettings withPace(long minBytesPerSecond, Duration grace, Duration deadline) {
        return new BodySettings(maxBytes, budgetBytes, minBytesPerSecond, grace, deadline, maxDiscardBytes);
    }

    public BodySettings withBudget(int bytes) {
        return new BodySettings(maxBytes, bytes, minBytesPerSecond, grace, deadline, maxDiscardBytes);
    }
}
