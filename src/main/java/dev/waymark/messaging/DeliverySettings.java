package dev.waymark.messaging;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Where messages go (the operator's configuration; Pinpoint's own transports are AWS's): an SMTP server for email,
 * webhooks for SMS, push and voice, the signing secret of every webhook request, whether {@code http://} delivery
 * is allowed (local use), a Lambda-compatible endpoint for CUSTOM activities that name a function, and how long a
 * direct send waits for its transports' answers.
 */
public record DeliverySettings(Optional<URI> smtpUrl, Optional<URI> smsWebhook, Optional<URI> pushWebhook,
                               Optional<URI> voiceWebhook, Optional<String> webhookSecret, boolean allowHttpDelivery,
                               Optional<URI> lambdaEndpoint, Duration directSendWait) {
    public static final DeliverySettings NONE = new DeliverySettings(Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), false, Optional.empty(), Duration.ofSeconds(10));
}
