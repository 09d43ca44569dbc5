package dev.waymark.runs;

import java.time.Duration;

/**
 * How the run scheduler polls and watches itself. {@code heartbeat} × {@code missedHeartbeats} is how long an
 * execution claimed by a node that died stays stuck before another node (or the restarted one) takes it over. A
 * journey whose planning fails is tried again after {@code firstRetry}, doubling up to {@code longestRetry}, and
 * parked after {@code parkAfterFailures} failures in a row.
 */
public record SchedulerSettings(Duration pollingInterval, Duration sweepInterval, Duration heartbeat,
                                int missedHeartbeats, int threads, Duration firstRetry, Duration longestRetry,
                                int parkAfterFailures) {
    public static final Duration DEFAULT_FIRST_RETRY = Duration.ofSeconds(1);
    public static final Duration DEFAULT_LONGEST_RETRY = Duration.ofMinutes(5);
    /** With the default delays, about eight and a half minutes of retries before a journey is parked. */
    public static final int DEFAULT_PARK_AFTER_FAILURES = 10;
    public static final SchedulerSettings DEFAULTS =
            new SchedulerSettings(Duration.ofMillis(250), Duration.ofSeconds(5), Duration.ofSeconds(2), 4, 4);

    /** The given polling and heartbeats, with the default retries. */
    public SchedulerSettings(Duration pollingInterval, Duration sweepInterval, Duration heartbeat,
                             int missedHeartbeats, int threads) {
        this(pollingInterval, sweepInterval, heartbeat, missedHeartbeats, threads, DEFAULT_FIRST_RETRY,
                DEFAULT_LONGEST_RETRY, DEFAULT_PARK_AFTER_FAILURES);
    }

    /** These settings with other retry delays and parking threshold. */
    public SchedulerSettings withRetries(Duration first, Duration longest, int parkAfter) {
        return new SchedulerSettings(pollingInterval, sweepInterval, heartbeat, missedHeartbeats, threads, first,
                longest, parkAfter);
    }

    /** The delay before the try that follows {@code failures} failures in a row (1, 2, 3, …). */
    public Duration retryDelay(int failures) {
        int doublings = Math.min(Math.max(failures - 1, 0), 30);
        Duration delay = firstRetry.multipliedBy(1L << doublings);
        return delay.compareTo(longestRetry) > 0 ? longestRetry : delay;
    }
}
