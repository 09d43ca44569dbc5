package dev.waymark.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.waymark.audience.EventAppender;
import dev.waymark.audience.EventRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The event-log records each outcome of a message writes, in the same transaction as the outcome (reference section
 * 10 names). All of it in one table, so that a name can be corrected in one place:
 *
 * <pre>
 * channel  every answer        DELIVERED         RETRYING   FAILED (permanent)             FAILED (retries exhausted)
 * EMAIL    _email.send (once)  _email.delivered  -          _email.hardbounce (SMTP 5xx),  _email.softbounce
 *                                                           else _email.rejected
 * SMS      -                   _SMS.SUCCESS      -          _SMS.FAILURE                   _SMS.FAILURE
 * PUSH     -                   _push.success     -          _push.failure                  _push.failure
 * VOICE    -                   _voice.success    -          _voice.failure                 _voice.failure
 * CUSTOM   -                   _custom.send      -          _custom.failure                _custom.failure
 *                              (per endpoint, with its EventAttributes)
 * journey  _journey.send on every attempt: journey_send_status SUCCESS, FAILURE (will be retried),
 *          FAILURE_PERMANENT (CUSTOM_DELIVERY_FAILURE for CUSTOM) when it failed for good; a journey message
 *          never queued: one _journey.send with its status (UNSUPPORTED_CHANNEL, FAILURE_PERMANENT, DAILY_CAP, ...)
 *          and status code 0 ({@link #notSent}, written by the engine)
 * </pre>
 *
 * Records go to the message's endpoint; a CUSTOM message's to each endpoint it carried (at most 50). A direct send to
 * a bare address (no endpoint) writes none: the event log is kept per endpoint, and an address is not one. Event ids
 * are derived from the message id (and the attempt, for {@code _journey.send}), so an outcome written again after a
 * crash adds nothing. Attributes: {@code message_id}, {@code channel}, {@code attempt}, {@code status_code},
 * {@code status_message} (at most 256 characters), {@code provider_message_id} when the provider named the message,
 * and the origin ({@code journey_id}, {@code journey_run_id}, {@code journey_activity_id}, or {@code trace_id}).
 * A CUSTOM receiver's EventAttributes are the attributes of its {@code _custom.send} record; ours fill only the names
 * it did not use.
 */
final class OutboxEvents {
    /** What became of one attempt. */
    enum Result { DELIVERED, RETRYING, FAILED_PERMANENT, FAILED_EXHAUSTED }

    static final int MAX_STATUS_MESSAGE = 256;
    static final String JOURNEY_SEND = "_journey.send";
    /** A CUSTOM message carries at most 50 endpoints; more in its content are ignored here. */
    static final int MAX_ENDPOINTS = 50;

    private OutboxEvents() {}

    /** The records one outcome writes; empty when the message has no endpoint. */
    static List<EventRecord> of(OutboundMessage message, Result result, Delivery delivery, long nowMs,
                                EventAppender log) {
        List<String> endpoints = endpointsOf(message);
        if (endpoints.isEmpty()) {
            return List.of();
        }
        Instant now = Instant.ofEpochMilli(nowMs);
        Map<String, String> common = commonAttributes(message, delivery);
        List<EventRecord> records = new ArrayList<>();
        for (String endpointId : endpoints) {
            String key = log.endpointKey(endpointId);
            for (String type : channelTypes(message.channel(), result, delivery)) {
                Map<String, String> attributes = common;
                if (message.channel() == Channel.CUSTOM && type.equals("_custom.send")) {
                    attributes = new LinkedHashMap<>();
                    for (Map.Entry<String, String> attribute : delivery.eventAttributes()
                            .getOrDefault(endpointId, Map.of()).entrySet()) {
                        if (attribute.getKey() != null && attribute.getValue() != null) {
                            attributes.put(bounded(attribute.getKey()), bounded(attribute.getValue()));
                        }
                    }
                    common.forEach(attributes::putIfAbsent);
                }
                records.add(record(message.appId(), key, eventId(message, type), type, now, attributes));
            }
            if (message.origin().journeyId().isPresent()) {
                records.add(record(message.appId(), key, message.id() + ":" + message.attempt() + ":_journey.send",
                        JOURNEY_SEND, now, journeyAttributes(message, result, delivery)));
            }
        }
        return records;
    }

    /** The channel's record types for this result (the table above). */
    static List<String> channelTypes(Channel channel, Result result, Delivery delivery) {
        return switch (channel) {
            case EMAIL -> switch (result) {
                case DELIVERED -> List.of("_email.send", "_email.delivered");
                case RETRYING -> List.of("_email.send");
                case FAILED_PERMANENT -> List.of("_email.send", delivery.statusCode() >= 500
                        && delivery.statusCode() < 600 ? "_email.hardbounce" : "_email.rejected");
                case FAILED_EXHAUSTED -> List.of("_email.send", "_email.softbounce");
            };
            case SMS -> finalOnly(result, "_SMS.SUCCESS", "_SMS.FAILURE");
            case PUSH -> finalOnly(result, "_push.success", "_push.failure");
            case VOICE -> finalOnly(result, "_voice.success", "_voice.failure");
            case CUSTOM -> finalOnly(result, "_custom.send", "_custom.failure");
        };
    }

    /** Pinpoint's journey_send_status of one attempt. */
    static String journeySendStatus(Channel channel, Result result) {
        return switch (result) {
            case DELIVERED -> "SUCCESS";
            case RETRYING -> "FAILURE";
            case FAILED_PERMANENT, FAILED_EXHAUSTED -> channel == Channel.CUSTOM ? "CUSTOM_DELIVERY_FAILURE"
                    : "FAILURE_PERMANENT";
        };
    }

    private static List<String> finalOnly(Result result, String success, String failure) {
        return switch (result) {
            case DELIVERED -> List.of(success);
            case RETRYING -> List.of();
            case FAILED_PERMANENT, FAILED_EXHAUSTED -> List.of(failure);
        };
    }

    /** Once per message for every type: {@code _email.send} is written with each answer and kept from the first. */
    private static String eventId(OutboundMessage message, String type) {
        return message.id() + ":" + type;
    }

    private static List<String> endpointsOf(OutboundMessage message) {
        Set<String> ids = new LinkedHashSet<>();
        message.endpointId().ifPresent(ids::add);
        JsonNode carried = message.channel() == Channel.CUSTOM ? message.content().get("Endpoints") : null;
        if (carried != null && carried.isObject()) {
            Iterator<String> names = carried.fieldNames();
            while (names.hasNext() && ids.size() < MAX_ENDPOINTS) {
                ids.add(names.next());
            }
        }
        return List.copyOf(ids);
    }

    private static Map<String, String> commonAttributes(OutboundMessage message, Delivery delivery) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("message_id", message.id());
        attributes.put("channel", message.channel().name());
        attributes.put("attempt", Integer.toString(message.attempt()));
        attributes.put("status_code", Integer.toString(delivery.statusCode()));
        attributes.put("status_message", bounded(delivery.statusMessage()));
        delivery.providerMessageId().ifPresent(id -> attributes.put("provider_message_id", bounded(id)));
        Origin origin = message.origin();
        origin.journeyId().ifPresent(id -> attributes.put("journey_id", id));
        origin.runId().ifPresent(id -> attributes.put("journey_run_id", id));
        origin.activityId().ifPresent(id -> attributes.put("journey_activity_id", id));
        origin.traceId().ifPresent(id -> attributes.put("trace_id", bounded(id)));
        return attributes;
    }

    private static Map<String, String> journeyAttributes(OutboundMessage message, Result result, Delivery delivery) {
        Map<String, String> attributes = journeySendAttributes(message.origin(), message.channel().name(),
                journeySendStatus(message.channel(), result), delivery.statusMessage(), delivery.statusCode());
        attributes.put("message_id", message.id());
        return attributes;
    }

    /**
     * The {@code _journey.send} record of a journey message that was never queued (its channel did not fit, its
     * template was missing, a cap or quiet time kept it back): {@code status} is its journey_send_status,
     * {@code reason} the status message, and the status code 0, as for an attempt no provider answered.
     */
    static EventRecord notSent(String appId, String endpointKey, String recordId, Origin origin, String activityType,
                               String status, String reason, Instant at) {
        return record(appId, endpointKey, recordId, JOURNEY_SEND, at,
                journeySendAttributes(origin, activityType, status, reason, 0));
    }

    /** Pinpoint's attributes of a {@code _journey.send} record. */
    private static Map<String, String> journeySendAttributes(Origin origin, String activityType, String status,
                                                             String statusMessage, int statusCode) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("journey_run_id", origin.runId().orElse(""));
        attributes.put("journey_id", origin.journeyId().orElse(""));
        attributes.put("journey_activity_id", origin.activityId().orElse(""));
        attributes.put("journey_activity_type", activityType);
        attributes.put("journey_send_status", status);
        attributes.put("journey_send_status_message", bounded(statusMessage));
        attributes.put("journey_send_status_code", Integer.toString(statusCode));
        return attributes;
    }

    private static EventRecord record(String appId, String key, String eventId, String type, Instant now,
                                      Map<String, String> attributes) {
        return new EventRecord(appId, key, eventId, type, now, now, Map.copyOf(attributes), Map.of(),
                Optional.empty(), Optional.empty());
    }

    /**
     * A provider's text as stored: at most 256 characters, control characters (NUL, which PostgreSQL refuses in text
     * and JSON, among them) as spaces, no half surrogate pair. Providers' answers are hostile input like any other:
     * one that could not be stored would roll back the outcomes written with it, and their messages would be sent
     * again.
     */
    static String bounded(String text) {
        if (text == null) {
            return "";
        }
        String cut = text.length() <= MAX_STATUS_MESSAGE ? text : text.substring(0, MAX_STATUS_MESSAGE);
        StringBuilder clean = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < cut.length() && Character.isLowSurrogate(cut.charAt(i + 1))) {
                clean.append(c).append(cut.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                clean.append('\uFFFD');
            } else {
                clean.append(Character.isISOControl(c) ? ' ' : c);
            }
        }
        return clean.toString();
    }
}
