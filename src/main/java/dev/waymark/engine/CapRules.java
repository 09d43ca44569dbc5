package dev.waymark.engine;

import dev.waymark.apps.AppSettings;
import java.util.Optional;

/**
 * Message caps per endpoint (engine.md E3): DailyCap (this journey, last 24 h), TotalCap (this journey, ever),
 * TimeframeCap (every journey of the app, last Days x 24 h); a journey member unset or 0 falls back to the app's
 * JourneyLimits, and 0 there too means no cap.
 */
public final class CapRules {
    /** Documented by Pinpoint as a journey_send_status value. */
    public static final String DAILY_CAP = "DAILY_CAP";
    /** Waymark's names: Pinpoint documents no status for these two caps (MetricKeys lists them as inferred). */
    public static final String TOTAL_CAP = "TOTAL_CAP";
    public static final String TIMEFRAME_CAP = "TIMEFRAME_CAP";

    private CapRules() {}

    /** What was already sent to the endpoint, as the engine's ledger counts it. */
    public record Sent(long journeyLastDay, long journeyEver, long appInTimeframe) {}

    /** The caps in force for a journey: 0 for none; {@code timeframeDays} 0 when there is no TimeframeCap. */
    public record Caps(int daily, int total, int timeframe, int timeframeDays) {}

    /**
     * The caps of {@code journey}'s Limits with the app's JourneyLimits as defaults. TimeframeCap falls back as a
     * whole: a Cap without Days (or Days without a Cap) is off, as Pinpoint documents 0 for either, so the app's
     * pair applies.
     */
    public static Caps caps(JourneyPlan.Limits journey, AppSettings.JourneyLimits app) {
        int daily = journey.dailyCap().orElse(0) > 0 ? journey.dailyCap().getAsInt() : Math.max(app.dailyCap(), 0);
        int total = journey.totalCap().orElse(0) > 0 ? journey.totalCap().getAsInt() : Math.max(app.totalCap(), 0);
        int timeframe = 0;
        int days = 0;
        if (journey.timeframeCap().orElse(0) > 0 && journey.timeframeDays().orElse(0) > 0) {
            timeframe = journey.timeframeCap().getAsInt();
            days = journey.timeframeDays().getAsInt();
        } else if (app.timeframeCap() > 0 && app.timeframeDays() > 0) {
            timeframe = app.timeframeCap();
            days = app.timeframeDays();
        }
        return new Caps(daily, total, timeframe, days);
    }

    /** The metric key refusing the message (DAILY_CAP, TOTAL_CAP or TIMEFRAME_CAP, checked in that order), empty to send. */
    public static Optional<String> refusal(Caps caps, Sent sent) {
        if (caps.daily() > 0 && sent.journeyLastDay() >= caps.daily()) {
            return Optional.of(DAILY_CAP);
        }
        if (caps.total() > 0 && sent.journeyEver() >= caps.total()) {
            return Optional.of(TOTAL_CAP);
        }
        if (caps.timeframe() > 0 && caps.timeframeDays() > 0 && sent.appInTimeframe() >= caps.timeframe()) {
            return Optional.of(TIMEFRAME_CAP);
        }
        return Optional.empty();
    }
}
