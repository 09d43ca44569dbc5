package dev.waymark.engine;

import dev.waymark.apps.AppSettings;
import java.util.Optional;

/**
 * Message caps per endpoint (engine.md E3): DailyCap (this journey, last 24 h), TotalCap (this journey, ever),
 * TimeframeCap (every journey of the app, last Days x 24 h); a journey member unset or 0 falls back to the app's
 * JourneyLimits, and 0 there too means no cap.
 */
public final class CapRules {
    private CapRules() {}

    /** What was already sent to the endpoint, as the engine's ledger counts it. */
    public record Sent(long journeyLastDay, long journeyEver, long appInTimeframe) {}

    /** The caps in force for a journey: 0 for none; {@code timeframeDays} 0 when there is no TimeframeCap. */
    public record Caps(int daily, int total, int timeframe, int timeframeDays) {}

    /** The caps of {@code journey}'s Limits with the app's JourneyLimits as defaults. */
    public static Caps caps(JourneyPlan.Limits journey, AppSettings.JourneyLimits app) {
        throw new UnsupportedOperationException("helper A");
    }

    /** The metric key refusing the message (DAILY_CAP, TOTAL_CAP or TIMEFRAME_CAP, checked in that order), empty to send. */
    public static Optional<String> refusal(Caps caps, Sent sent) {
        throw new UnsupportedOperationException("helper A");
    }
}
