package dev.waymark.ops;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * How busy the request path has been lately: the time requests spent being served per unit of wall time, that is
 * how many were in progress on average. Background work ({@link BackgroundPacing}) reads it to give way to requests.
 */
public final class RequestLoad {
    /** Long enough to average a burst of short requests, short enough to notice within a batch that load came. */
    static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final LongAdder servedNanos = new LongAdder();
    private long windowStart = System.nanoTime();
    private long servedAtWindowStart;
    private double lastConcurrency;

    /** A request was served in {@code nanos}. */
    public void served(long nanos) {
        servedNanos.add(nanos);
    }

    /**
     * Requests in progress on average over the last finished window of at least 200 ms (a window that has not lasted
     * that long yet keeps the figure of the one before).
     */
    public double concurrency() {
        return concurrencyAt(System.nanoTime());
    }

    synchronized double concurrencyAt(long nowNanos) {
        long elapsed = nowNanos - windowStart;
        if (elapsed >= WINDOW_NANOS) {
            long served = servedNanos.sum();
            lastConcurrency = (served - servedAtWindowStart) / (double) elapsed;
            servedAtWindowStart = served;
            windowStart = nowNanos;
        }
        return lastConcurrency;
    }
}
