package dev.waymark.ops;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests come before background work (the journey engine, the outbox's senders): while requests keep a quarter of
 * the machine's cores busy (at least half a core), the threads of one kind of background work rest after each piece
 * of work so that together they work at most {@code busyShare} of the time, as one thread would. On a machine of few
 * cores a client's reads then keep most of their speed while the engine drains a backlog, and the engine takes the
 * whole machine back as soon as the requests stop.
 */
public final class BackgroundPacing {
    /**
     * Cores kept busy by requests from which they come first: a quarter of the machine, so that a machine with cores
     * to spare does not slow its engine for nothing, and at least half a core, so that a client's few requests do not.
     */
    static final double BUSY_AT = Math.max(0.5, Runtime.getRuntime().availableProcessors() / 4.0);
    /** No thread rests longer than this at once, so that it looks again at the load (and at its stop flag). */
    static final long LONGEST_REST_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Background work at full speed whatever the load: for tests and for a share of 1. */
    public static final BackgroundPacing NONE = new BackgroundPacing(new RequestLoad(), 1.0);

    private final RequestLoad load;
    private final double busyShare;
    /**
     * Until when (System.nanoTime) the group rests: each piece of work pushes it further, so that many threads of
     * one pool (32 SMS senders) rest in turn, not side by side, and the pool as a whole keeps to the share.
     */
    private final AtomicLong restUntil = new AtomicLong(System.nanoTime());

    /**
     * One group of background threads; {@code busyShare}: the part of the time they may work, together, while
     * requests are busy, over 0 and at most 1.
     */
    public BackgroundPacing(RequestLoad load, double busyShare) {
        if (!(busyShare > 0 && busyShare <= 1)) {
            throw new IllegalArgumentException("the busy share must be over 0 and at most 1, not " + busyShare);
        }
        this.load = load;
        this.busyShare = busyShare;
    }

    /** After a piece of background work that took {@code workedNanos}: rests as long as the load asks. */
    public void after(long workedNanos) throws InterruptedException {
        if (busyShare >= 1) {
            return;
        }
        long now = System.nanoTime();
        long rest = restNanos(workedNanos, load.cores(), now);
        if (rest > 0) {
            TimeUnit.NANOSECONDS.sleep(rest);
        }
    }

    /**
     * How long the calling thread rests, from {@code nowNanos}, after {@code workedNanos} of work while requests keep
     * {@code requestCores} cores busy: its own part of the group's rest, queued after the rests the group owes already.
     */
    long restNanos(long workedNanos, double requestCores, long nowNanos) {
        if (requestCores < BUSY_AT || busyShare >= 1 || workedNanos <= 0) {
            return 0;
        }
        long owed = (long) (workedNanos * (1 - busyShare) / busyShare);
        // nanoTime values are compared by their difference only: their origin is arbitrary and may be negative.
        long until = restUntil.accumulateAndGet(nowNanos, (previous, now) -> {
            long from = previous - now > 0 ? previous : now;
            return (from + owed) - now > LONGEST_REST_NANOS ? now + LONGEST_REST_NANOS : from + owed;
        });
        return Math.max(0, until - nowNanos);
    }
}
