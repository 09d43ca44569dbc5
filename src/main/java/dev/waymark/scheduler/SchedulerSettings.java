package dev.waymark.scheduler;

import java.time.Duration;

/**
 * How the run scheduler polls and watches itself. {@code heartbeat} × {@code missedHeartbeats} is how long an
 * execution claimed by a node that died stays stuck before another node (or the restarted one) takes it over.
 */
public record SchedulerSettings(Duration pollingInterval, Duration sweepInterval, Duration heartbeat,
                                int missedHeartbeats, int threads) {
    public static final SchedulerSettings DEFAULTS =
            new SchedulerSettings(Duration.ofMillis(250), Duration.ofSeconds(5), Duration.ofSeconds(2), 4, 4);
}
