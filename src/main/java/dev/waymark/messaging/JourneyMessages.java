package dev.waymark.messaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.audience.EventRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Builds the message of a journey's message activity for one participant (engine.md E2, E3): checks the endpoint's
 * channel against the activity, reads the template (TemplateVersion, else the active version at send time) and the
 * app's channel, renders, applies email tracking and {@code unsubscribeUrl}. The engine queues what it answers in
 * the participant's move transaction, or counts the refusal.
 */
public interface JourneyMessages {
    /**
     * One message to prepare. {@code kind} is EMAIL, SMS, PUSH or CUSTOM; {@code messageConfig} the activity's
     * MessageConfig (empty object when none); {@code deliveryUri}/{@code endpointTypes} only for CUSTOM;
     * {@code endpoint} is EndpointResponse JSON as GetEndpoint answers it; {@code messageId} becomes the outbox id.
     */
    record Request(String appId, String kind, Optional<String> templateName, Optional<String> templateVersion,
                   ObjectNode messageConfig, Optional<String> deliveryUri, List<String> endpointTypes,
                   ObjectNode endpoint, String messageId, String idempotencyKey, Origin origin,
                   Optional<NewMessage.Rate> rate) {}

    /** What {@link #prepare} decided. */
    sealed interface Prepared permits Ready, Refused {}

    /** The message, ready to be queued. */
    record Ready(NewMessage message) implements Prepared {}

    /**
     * Not sendable: {@code status} is the journey_send_status and activity metric key (UNSUPPORTED_CHANNEL when the
     * endpoint's channel does not fit the activity; FAILURE_PERMANENT when the template or channel is missing or
     * disabled, or rendering fails), {@code reason} says why in words for the event log.
     */
    record Refused(String status, String reason) implements Prepared {}

    /** Prepares one message; never throws for data (a missing template is a Refused). */
    Prepared prepare(Request request);

    /**
     * The {@code _journey.send} event record of a message the engine did not queue (a Refused, or DAILY_CAP,
     * QUIET_TIME, ...), with Pinpoint's attribute names: journey_id, journey_run_id, journey_activity_id,
     * journey_activity_type ({@code kind}), journey_send_status, journey_send_status_message, journey_send_status_code.
     */
    EventRecord notSent(String appId, String endpointKey, Origin origin, String kind, String status, String reason,
                        String recordId, Instant at);
}
