package dev.waymark.auth;

import java.time.Duration;
import java.util.Optional;

/**
 * How Waymark admits requests: SigV4 or (for throwaway local use) nothing; the clock-skew window; an admin key to
 * seed; the per-key token bucket (rate 0: off); and how many requests may be in progress at once.
 */
public record SecuritySettings(boolean signaturesRequired, Duration maxClockSkew, Optional<String> seedKeyId,
                               Optional<String> seedSecret, double throttleRate, int throttleBurst, int maxInFlight) {
    public static final SecuritySettings DEFAULTS = new SecuritySettings(true, Duration.ofMinutes(5),
            Optional.empty(), Optional.empty(), 0, 0, 128);

    public SecuritySettings withSeed(String keyId, String secret) {
        return new SecuritySettings(signaturesRequired, maxClockSkew, Optional.of(keyId), Optional.of(secret),
                throttleRate, throttleBurst, maxInFlight);
    }

    public SecuritySettings withThrottle(double rate, int burst) {
        return new SecuritySettings(signaturesRequired, maxClockSkew, seedKeyId, seedSecret, rate, burst,
                maxInFlight);
    }

    public SecuritySettings withMaxInFlight(int max) {
        return new SecuritySettings(signaturesRequired, maxClockSkew, seedKeyId, seedSecret, throttleRate,
                throttleBurst, max);
    }

    public SecuritySettings withMaxClockSkew(Duration skew) {
        return new SecuritySettings(signaturesRequired, skew, seedKeyId, seedSecret, throttleRate, throttleBurst,
                maxInFlight);
    }

    public SecuritySettings withoutSignatures() {
        return new SecuritySettings(false, maxClockSkew, seedKeyId, seedSecret, throttleRate, throttleBurst,
                maxInFlight);
    }
}
