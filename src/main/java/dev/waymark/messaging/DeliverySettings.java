package dev.waymark.messaging;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Where messages go (the operator's configuration; Pinpoint's own transports are AWS's): an SMTP server for email,
 * webhooks for SMS, push and voice, the signing secret of every webhook request, whether {@code http://} delivery
 * is allowed (local use), a Lambda-compatible endpoint for CUSTOM activities that name a function, how long a
 * direct send waits for its transports' answers, Waymark's public base URL for the tracking and unsubscribe links
 * of emails (none: no tracking), and whether emails get tracked links and the open pixel.
 */
public record DeliverySettings(Optional<URI> smtpUrl, Optional<URI> smsWebhook, Optional<URI> pushWebhook,
                               Optional<URI> voiceWebhook, Optional<String> webhookSecret, boolean allowHttpDelivery,
                               Optional<URI> lambdaEndpoint, Duration directSendWait, Optional<URI> publicUrl,
                               boolean emailTracking) {
    public static final DeliverySettings NONE = new DeliverySettings(Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), false, Optional.empty(), Duration.ofSeconds(10));

    /** As configured before tracking existed: no public URL, so no tracking. */
    public DeliverySettings(Optional<URI> smtpUrl, Optional<URI> smsWebhook, Optional<URI> pushWebhook,
                            Optional<URI> voiceWebhook, Optional<String> webhookSecret, boolean allowHttpDelivery,
                            Optional<URI> lambdaEndpoint, Duration directSendWait) {
        this(smtpUrl, smsWebhook, pushWebhook, voiceWebhook, webhookSecret, allowHttpDelivery, lambdaEndpoint,
                directSendWait, Optional.empty(), true);
    }

    /** As configured, with tracking links under {@code url} (tracking on unless {@code emailTracking} is false). */
    public DeliverySettings withPublicUrl(Optional<URI> url, boolean tracking) {
        return new DeliverySettings(smtpUrl, smsWebhook, pushWebhook, voiceWebhook, webhookSecret, allowHttpDelivery,
                lambdaEndpoint, directSendWait, url, tracking);
    }
}
