package dev.waymark.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * An endpoint's time zone (engine.md E1): Demographic.Timezone when java.time knows it, else an estimate by
 * TimezoneEstimationMethods in order (PHONE_NUMBER with libphonenumber's time-zone mapper, POSTAL_CODE where the
 * country has one zone).
 */
public final class TimeZoneRules {
    private TimeZoneRules() {}

    /** The zone and whether it was estimated; zone empty when neither the endpoint nor an estimate gives one. */
    public record Resolution(Optional<ZoneId> zone, boolean estimated) {}

    /** {@code endpoint} is EndpointResponse JSON; {@code methods} the journey's TimezoneEstimationMethods. */
    public static Resolution resolve(ObjectNode endpoint, List<String> methods) {
        throw new UnsupportedOperationException("helper A");
    }
}
