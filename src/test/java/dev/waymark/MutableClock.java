package dev.waymark;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.Supplier;

/** A UTC clock tests move by hand, or one that reads another source of time (such as db-scheduler's clock). */
public final class MutableClock extends Clock {
    private final Supplier<Instant> source;
    private volatile Instant now;

    public MutableClock(Instant start) {
        this.now = start;
        this.source = null;
    }

    private MutableClock(Supplier<Instant> source) {
        this.source = source;
    }

    /** A java.time view of another clock. */
    public static Clock reading(Supplier<Instant> source) {
        return new MutableClock(source);
    }

    public void set(Instant instant) {
        now = instant;
    }

    public void advance(Duration duration) {
        now = now.plus(duration);
    }

    @Override
    public Instant instant() {
        return source != null ? source.get() : now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("Waymark works in UTC");
    }
}
