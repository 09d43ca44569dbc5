package dev.waymark.messaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * A message to be queued in the outbox: rendered, addressed, with its idempotency key (unique within the app: queuing
 * a key already queued keeps the first and adds nothing). {@code rate} is the sending ceiling it counts against for
 * the whole cluster (a journey's MessagesPerSecond), empty for none (direct sends). The id is the MessageId the
 * sender reports.
 */
public record NewMessage(String id, String appId, String idempotencyKey, Channel channel, String destination,
                         Optional<String> endpointId, ObjectNode content, Origin origin, Optional<Rate> rate) {
    /** At most {@code perSecond} messages of all that share {@code key} leave per second, across every node. */
    public record Rate(String key, int perSecond) {}
}
