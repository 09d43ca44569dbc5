package dev.waymark.ops;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * How busy the request path has been lately: the CPU time requests took per unit of wall time, that is how many
 * cores they kept busy on average. CPU, not wall time: a request waiting for the store's writer, for a slow body or
 * for a message's first answer costs the machine nothing. Background work ({@link BackgroundPacing}) reads it to give
 * way to requests.
 */
public final class RequestLoad {
    /** Long enough to average a burst of short requests, short enough to notice within a batch that load came. */
    static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean THREAD_CPU = THREADS.isCurrentThreadCpuTimeSupported();

    private final LongAdder cpuNanos = new LongAdder();
    private long windowStart = System.nanoTime();
    private long cpuAtWindowStart;
    private double lastCores;

    /**
     * The calling thread's CPU time so far, for {@link #served}; where the JVM cannot tell it, the wall clock, which
     * overstates the load of requests that wait.
     */
    public static long threadCpuNanos() {
        return THREAD_CPU ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** A request took {@code cpuNanos} of CPU (a difference of {@link #threadCpuNanos()}). */
    public void served(long cpuNanos) {
        this.cpuNanos.add(cpuNanos);
    }

    /**
     * Cores kept busy by requests on average over the last finished window of at least 200 ms (a window that has not
     * lasted that long yet keeps the figure of the one before).
     */
    public double cores() {
        return coresAt(System.nanoTime());
    }

    synchronized double coresAt(long nowNanos) {
        long elapsed = nowNanos - windowStart;
        if (elapsed >= WINDOW_NANOS) {
            long served = cpuNanos.sum();
            lastCores = (served - cpuAtWindowStart) / (double) elapsed;
            cpuAtWindowStart = served;
            windowStart = nowNanos;
        }
        return lastCores;
    }
}
