package dev.waymark.audience;

import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** A node's hold on a job: whose it is, until when each save extends it, and whether the node is stopping. */
record JobLease(String owner, Duration length, Clock clock, BooleanSupplier stopping) {
    /** The end of the lease as a save made now extends it. */
    long until() {
        return clock.millis() + length.toMillis();
    }

    /** Stops the work between chunks when the node is shutting down; the job is taken up again, where it was. */
    void checkRunning() {
        if (stopping.getAsBoolean() || Thread.currentThread().isInterrupted()) {
            throw new Stopped();
        }
    }

    /** Another node holds the job now: the work stops, its last chunk rolled back. */
    static final class Lost extends RuntimeException {
        Lost(String jobId) {
            super("job " + jobId + " is held by another node now", null, false, false);
        }
    }

    /** This node is stopping. */
    static final class Stopped extends RuntimeException {
        Stopped() {
            super("stopping", null, false, false);
        }
    }
}
