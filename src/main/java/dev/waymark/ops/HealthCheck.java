package dev.waymark.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * /health: the store answers and the run scheduler runs; 503 while either is down. While any journey is parked
 * (its planning failed too often) the server still serves: 200, status and scheduler "degraded".
 */
public final class HealthCheck {
    private final BooleanSupplier store;
    private final BooleanSupplier scheduler;
    private final IntSupplier parkedJourneys;

    public HealthCheck(BooleanSupplier store, BooleanSupplier scheduler, IntSupplier parkedJourneys) {
        this.store = store;
        this.scheduler = scheduler;
        this.parkedJourneys = parkedJourneys;
    }

    /** The report, and whether all is well enough to serve (true when degraded). */
    public Report check() {
        boolean storeUp = store.getAsBoolean();
        boolean schedulerUp = scheduler.getAsBoolean();
        int parked = schedulerUp ? parkedJourneys.getAsInt() : 0;
        Map<String, String> body = new LinkedHashMap<>();
        body.put("status", !storeUp || !schedulerUp ? "unavailable" : parked > 0 ? "degraded" : "ok");
        body.put("store", storeUp ? "ok" : "down");
        body.put("scheduler", !schedulerUp ? "down" : parked > 0 ? "degraded" : "ok");
        if (parked > 0) {
            body.put("parkedJourneys", Integer.toString(parked));
        }
        return new Report(storeUp && schedulerUp, body);
    }

    /** What /health answers. */
    public record Report(boolean healthy, Map<String, String> body) {}
}
