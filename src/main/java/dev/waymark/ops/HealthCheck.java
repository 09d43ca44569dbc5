package dev.waymark.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** /health: the store answers and the run scheduler runs; 503 while either is down. */
public final class HealthCheck {
    private final BooleanSupplier store;
    private final BooleanSupplier scheduler;

    public HealthCheck(BooleanSupplier store, BooleanSupplier scheduler) {
        this.store = store;
        this.scheduler = scheduler;
    }

    /** The report, and whether all is well. */
    public Report check() {
        boolean storeUp = store.getAsBoolean();
        boolean schedulerUp = scheduler.getAsBoolean();
        Map<String, String> body = new LinkedHashMap<>();
        body.put("status", storeUp && schedulerUp ? "ok" : "unavailable");
        body.put("store", storeUp ? "ok" : "down");
        body.put("scheduler", schedulerUp ? "ok" : "down");
        return new Report(storeUp && schedulerUp, body);
    }

    /** What /health answers. */
    public record Report(boolean healthy, Map<String, String> body) {}
}
