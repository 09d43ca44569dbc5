package dev.waymark.messaging;

import java.util.Map;
import java.util.Optional;

/**
 * A transport's answer for one message. {@code statusCode} is the provider's (SMTP reply code, HTTP status), or 0 when
 * nothing answered (connection refused, timeout). {@code eventAttributes} is what a CUSTOM receiver returned per
 * endpoint id ({@code EventAttributes}), empty for other channels.
 */
public record Delivery(Outcome outcome, int statusCode, String statusMessage, Optional<String> providerMessageId,
                       Map<String, Map<String, String>> eventAttributes) {
    /** What became of the message at the provider. */
    public enum Outcome {
        /** The provider accepted it (SMTP 250, HTTP 2xx). */
        DELIVERED,
        /** Try again later: connection errors, timeouts, SMTP 4xx, HTTP 408/429/5xx. */
        TRANSIENT_FAILURE,
        /** Never try again: SMTP 5xx, other HTTP 4xx, a destination the transport refuses. */
        PERMANENT_FAILURE
    }

    public static Delivery delivered(int statusCode, String statusMessage, Optional<String> providerMessageId) {
        return new Delivery(Outcome.DELIVERED, statusCode, statusMessage, providerMessageId, Map.of());
    }

    public static Delivery transientFailure(int statusCode, String statusMessage) {
        return new Delivery(Outcome.TRANSIENT_FAILURE, statusCode, statusMessage, Optional.empty(), Map.of());
    }

    public static Delivery permanentFailure(int statusCode, String statusMessage) {
        return new Delivery(Outcome.PERMANENT_FAILURE, statusCode, statusMessage, Optional.empty(), Map.of());
    }
}
