package dev.waymark.engine;

import dev.waymark.engine.JourneyPlan.MessageKind;
import dev.waymark.engine.JourneyPlan.QuietTime;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * When a message may leave, in the endpoint's local time (engine.md E3): QuietTime (the journey's, else the app's),
 * and with SendingSchedule the channel's OpenHours and ClosedDays.
 */
public final class SendingWindowRules {
    private SendingWindowRules() {}

    /**
     * Empty when a message of {@code channel} may leave at {@code now} for an endpoint in {@code zone}; else the first
     * instant after {@code now} when it may (searched a bounded distance ahead; a schedule that never opens within it
     * answers the end of that distance).
     */
    public static Optional<Instant> blockedUntil(JourneyPlan plan, Optional<QuietTime> appQuietTime,
                                                 MessageKind channel, Instant now, ZoneId zone) {
        throw new UnsupportedOperationException("helper A");
    }
}
