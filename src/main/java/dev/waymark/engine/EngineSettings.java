package dev.waymark.engine;

import java.time.Duration;

/**
 * How the engine works: {@code workers} threads moving participants (PostgreSQL; SQLite has one writer, so one;
 * 0 for none at all, the engine then moves only when {@link JourneyEngine#settle()} is called),
 * {@code poll} how often an idle worker looks for due participants, {@code batch} participants per transaction,
 * {@code retention} how long finished participants' rows are kept (their counters stay), {@code busyShare} the part
 * of their time the engine's and the outbox's threads may work while requests keep the server busy
 * ({@link dev.waymark.ops.BackgroundPacing}; 1 for no pacing).
 */
public record EngineSettings(int workers, Duration poll, int batch, Duration retention, double busyShare) {
    public static final EngineSettings DEFAULTS = new EngineSettings(2, Duration.ofMillis(250), 200,
            Duration.ofDays(30), 0.2);

    /** No threads of its own: a test drives the engine with {@link JourneyEngine#settle()} and its own clock. */
    public static EngineSettings manual() {
        return DEFAULTS.withWorkers(0);
    }

    public EngineSettings withRetention(Duration newRetention) {
        return new EngineSettings(workers, poll, batch, newRetention, busyShare);
    }

    public EngineSettings withWorkers(int newWorkers) {
        return new EngineSettings(newWorkers, poll, batch, retention, busyShare);
    }

    public EngineSettings withBusyShare(double newBusyShare) {
        return new EngineSettings(workers, poll, batch, retention, newBusyShare);
    }
}
