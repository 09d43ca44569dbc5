package dev.waymark.messaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.wire.Json;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * SMS, push or voice messages as one signed JSON POST each to the operator's webhook ({@code --sms-webhook},
 * {@code --push-webhook}, {@code --voice-webhook}), which hands them to the real provider. The body:
 * {@code {"MessageId", "ApplicationId", "Channel", "Address", "EndpointId", "JourneyId", "RunId", "ActivityId",
 * "TraceId", "Attempt", "Message": {the rendered parts}}} (absent ids left out).
 */
public final class WebhookTransport implements Transport {
    /** The most of an answer read: enough for any status document, and a receiver cannot fill the heap. */
    static final int MAX_ANSWER_BYTES = 64 * 1024;

    private final Channel channel;
    private final URI url;
    private final SignedPost post;

    /** A webhook for {@code channel} at {@code url} (checked by {@link Transports}), signing with {@code secret}. */
    public WebhookTransport(Channel channel, URI url, String secret) {
        this(channel, url, secret, Clock.systemUTC(), SignedPost.Timeouts.DEFAULT);
    }

    /** The tests' constructor: their own clock and timeouts. */
    WebhookTransport(Channel channel, URI url, String secret, Clock clock, SignedPost.Timeouts timeouts) {
        if (channel == Channel.EMAIL || channel == Channel.CUSTOM) {
            throw new IllegalArgumentException(channel + " messages do not go to a webhook");
        }
        this.channel = channel;
        this.url = url;
        this.post = new SignedPost(Optional.of(secret), clock, timeouts);
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public Duration longestSend() {
        return post.longestPost();
    }

    @Override
    public Delivery send(OutboundMessage message) {
        SignedPost.Result result = post.post(url, "the " + channel + " webhook", message.idempotencyKey(),
                Json.write(body(message)), MAX_ANSWER_BYTES);
        return result.failure().orElseGet(() -> SignedPost.classify(result.answer().orElseThrow()));
    }

    /** The JSON a receiver gets for {@code message}. */
    static ObjectNode body(OutboundMessage message) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("MessageId", message.id());
        body.put("ApplicationId", message.appId());
        body.put("Channel", message.channel().name());
        body.put("Address", message.destination());
        message.endpointId().ifPresent(id -> body.put("EndpointId", id));
        Origin origin = message.origin();
        origin.journeyId().ifPresent(id -> body.put("JourneyId", id));
        origin.runId().ifPresent(id -> body.put("RunId", id));
        origin.activityId().ifPresent(id -> body.put("ActivityId", id));
        origin.traceId().ifPresent(id -> body.put("TraceId", id));
        body.put("Attempt", message.attempt());
        body.set("Message", message.content());
        return body;
    }
}
