package dev.waymark.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.audience.EventRecord;
import dev.waymark.wire.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One event-log record as Pinpoint streams it to Kinesis or Firehose (event_version 3.1): event_type, the event's and
 * arrival times in epoch milliseconds, application (app_id, sdk, and the app's package, title and version when the
 * event named them), client.client_id (the endpoint id), device (from the endpoint's Demographic), session,
 * attributes, metrics, client_context.custom.endpoint (the endpoint as JSON text) and awsAccountId. Waymark adds
 * {@code event_id}: the same for every delivery of one record, so that a receiver can drop a repeat.
 */
final class StreamRecordFormat {
    static final String EVENT_VERSION = "3.1";

    private StreamRecordFormat() {}

    /**
     * The record's id: a name-based UUID of (app, endpoint key, event id), which the event log holds at most once,
     * so that ids never collide between endpoints that chose the same event id.
     */
    static String recordId(EventRecord event) {
        String name = event.appId() + '\n' + event.endpointKey() + '\n' + event.eventId();
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The record's JSON text; {@code accountId} is the account of the stream's role (Pinpoint's awsAccountId). */
    static String format(EventRecord event, Optional<ObjectNode> endpoint, String accountId) {
        ObjectNode record = Json.MAPPER.createObjectNode();
        record.put("event_type", event.eventType());
        record.put("event_timestamp", event.timestamp().toEpochMilli());
        record.put("arrival_timestamp", event.received().toEpochMilli());
        record.put("event_version", EVENT_VERSION);
        record.put("event_id", recordId(event));
        ObjectNode application = record.putObject("application");
        application.put("app_id", event.appId());
        ObjectNode sdk = application.putObject("sdk");
        event.other().ifPresent(other -> {
            copyText(other, "SdkName", sdk, "name");
            copyText(other, "ClientSdkVersion", sdk, "version");
            copyText(other, "AppPackageName", application, "package_name");
            copyText(other, "AppTitle", application, "title");
            copyText(other, "AppVersionCode", application, "version_code");
        });
        String clientId = endpoint.map(node -> node.path("Id")).filter(JsonNode::isTextual).map(JsonNode::textValue)
                .orElse(event.endpointKey());
        record.putObject("client").put("client_id", clientId);
        record.set("device", device(endpoint.map(node -> node.path("Demographic")).orElse(null)));
        ObjectNode session = record.putObject("session");
        event.session().ifPresent(given -> {
            copyText(given, "Id", session, "session_id");
            copyTime(given, "StartTimestamp", session, "start_timestamp");
            copyTime(given, "StopTimestamp", session, "stop_timestamp");
        });
        ObjectNode attributes = record.putObject("attributes");
        event.attributes().forEach(attributes::put);
        ObjectNode metrics = record.putObject("metrics");
        for (Map.Entry<String, Double> metric : event.metrics().entrySet()) {
            metrics.put(metric.getKey(), metric.getValue());
        }
        // Pinpoint sends the endpoint as a JSON string inside the record, not as an object.
        endpoint.ifPresent(node -> record.putObject("client_context").putObject("custom")
                .put("endpoint", node.toString()));
        record.put("awsAccountId", accountId);
        return record.toString();
    }

    private static ObjectNode device(JsonNode demographic) {
        ObjectNode device = Json.MAPPER.createObjectNode();
        ObjectNode platform = device.putObject("platform");
        if (demographic != null && demographic.isObject()) {
            copyText(demographic, "Platform", platform, "name");
            copyText(demographic, "PlatformVersion", platform, "version");
            copyText(demographic, "Make", device, "make");
            copyText(demographic, "Model", device, "model");
            if (demographic.path("Locale").isTextual()) {
                device.putObject("locale").put("code", demographic.path("Locale").textValue());
            }
        }
        return device;
    }

    private static void copyText(JsonNode from, String member, ObjectNode to, String name) {
        JsonNode value = from.path(member);
        if (value.isTextual()) {
            to.put(name, value.textValue());
        }
    }

    private static void copyTime(JsonNode from, String member, ObjectNode to, String name) {
        JsonNode value = from.path(member);
        if (value.isTextual()) {
            try {
                to.put(name, Instant.parse(value.textValue()).toEpochMilli());
            } catch (DateTimeParseException e) {
                // Stored by EventRules in ISO form; anything else is left out rather than guessed.
            }
        }
    }
}
