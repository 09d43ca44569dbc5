package dev.waymark.engine;

import java.time.Duration;

/**
 * How the engine works: {@code workers} threads moving participants (PostgreSQL; SQLite has one writer, so one;
 * 0 for none at all, the engine then moves only when {@link JourneyEngine#settle()} is called),
 * {@code poll} how often an idle worker looks for due participants, {@code batch} participants per transaction,
 * {@code retention} how long finished participants' rows are kept (their counters stay).
 */
public record EngineSettings(int workers, Duration poll, int batch, Duration retention) {
    public static final EngineSettings DEFAULTS = new EngineSettings(2, Duration.ofMillis(250), 200,
            Duration.ofDays(30));

    /** No threads of its own: a test drives the engine with {@link JourneyEngine#settle()} and its own clock. */
    public static EngineSettings manual() {
        return new EngineSettings(0, DEFAULTS.poll(), DEFAULTS.batch(), DEFAULTS.retention());
    }

    public EngineSettings withRetention(Duration newRetention) {
        return new EngineSettings(workers, poll, batch, newRetention);
    }

    public EngineSettings withWorkers(int newWorkers) {
        return new EngineSettings(newWorkers, poll, batch, retention);
    }
}
