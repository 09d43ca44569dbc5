package dev.waymark.messaging;

import java.net.URI;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Builds each channel's transport from the operator's {@link DeliverySettings}: EMAIL when {@code --smtp-url} is set,
 * SMS, PUSH and VOICE when their webhook is set, CUSTOM always (its destination is each activity's DeliveryUri). A
 * channel left unconfigured has no transport. Every setting is checked before anything is opened.
 */
public final class Transports {
    /** The shortest webhook secret accepted: a short one could be guessed from signed requests. */
    static final int MIN_SECRET_LENGTH = 16;

    private Transports() {}

    /**
     * The transports of every configured channel; the caller closes them.
     *
     * @throws IllegalArgumentException with a one-line message naming the flag at fault
     */
    public static Map<Channel, Transport> open(DeliverySettings settings) {
        check(settings);
        Map<Channel, Transport> transports = new EnumMap<>(Channel.class);
        try {
            settings.smtpUrl().ifPresent(url -> transports.put(Channel.EMAIL, new SmtpTransport(url)));
            addWebhook(transports, Channel.SMS, settings.smsWebhook(), settings);
            addWebhook(transports, Channel.PUSH, settings.pushWebhook(), settings);
            addWebhook(transports, Channel.VOICE, settings.voiceWebhook(), settings);
            transports.put(Channel.CUSTOM, new CustomTransport(settings.allowHttpDelivery(), settings.lambdaEndpoint(),
                    settings.webhookSecret()));
        } catch (RuntimeException e) {
            transports.values().forEach(Transport::close);
            throw e;
        }
        return Collections.unmodifiableMap(transports);
    }

    /**
     * Checks the settings without opening anything.
     *
     * @throws IllegalArgumentException with a one-line message naming the flag at fault
     */
    public static void check(DeliverySettings settings) {
        settings.smtpUrl().ifPresent(SmtpTransport::check);
        checkWebhook("--sms-webhook", settings.smsWebhook(), settings.allowHttpDelivery());
        checkWebhook("--push-webhook", settings.pushWebhook(), settings.allowHttpDelivery());
        checkWebhook("--voice-webhook", settings.voiceWebhook(), settings.allowHttpDelivery());
        boolean anyWebhook = settings.smsWebhook().isPresent() || settings.pushWebhook().isPresent()
                || settings.voiceWebhook().isPresent();
        Optional<String> secret = settings.webhookSecret();
        if (anyWebhook && secret.isEmpty()) {
            throw new IllegalArgumentException("--webhook-secret is required when --sms-webhook, --push-webhook or "
                    + "--voice-webhook is set: every webhook request is signed with it");
        }
        if (secret.isPresent() && secret.get().strip().length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("--webhook-secret must have at least " + MIN_SECRET_LENGTH
                    + " characters");
        }
        settings.lambdaEndpoint().ifPresent(endpoint -> {
            String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || endpoint.getHost() == null) {
                throw new IllegalArgumentException("--lambda-endpoint must be an http:// or https:// URL with a host, "
                        + "not " + endpoint);
            }
        });
    }

    private static void checkWebhook(String flag, Optional<URI> webhook, boolean allowHttp) {
        if (webhook.isEmpty()) {
            return;
        }
        URI url = webhook.get();
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("http") && !allowHttp) {
            throw new IllegalArgumentException(flag + " must be an https:// URL (http:// needs --allow-http-delivery)");
        }
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalArgumentException(flag + " must be an https:// URL, not " + url.getScheme() + "://");
        }
        if (url.getHost() == null || url.getRawUserInfo() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException(flag + " must be a URL with a host, and no user or fragment");
        }
    }

    private static void addWebhook(Map<Channel, Transport> transports, Channel channel, Optional<URI> url,
                                   DeliverySettings settings) {
        url.ifPresent(webhook -> transports.put(channel,
                new WebhookTransport(channel, webhook, settings.webhookSecret().orElseThrow())));
    }
}
