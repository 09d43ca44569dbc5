package dev.waymark.audience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.rules.RuleViolation;
import dev.waymark.wire.WireTime;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pinpoint's rules for the events of PutEvents: what one event must carry, the per-event quotas, and the per-app
 * quotas on event types, attribute keys and metric keys. Each refusal names the member or the quota.
 */
final class EventRules {
    /** Pinpoint: at most 100 events in one PutEvents request. */
    static final int MAX_EVENTS_PER_REQUEST = 100;
    /** Waymark: at most 100 endpoints in one request (each carries at least one event in practice). */
    static final int MAX_ENDPOINTS_PER_REQUEST = 100;
    /** Pinpoint: at most 40 attribute and metric keys together in one event. */
    static final int MAX_KEYS_PER_EVENT = 40;
    /** Pinpoint: attribute keys at most 50 characters; Waymark holds metric keys to the same. */
    static final int MAX_KEY_LENGTH = 50;
    /** Pinpoint: attribute values at most 200 characters (a longer one drops the event). */
    static final int MAX_ATTRIBUTE_VALUE_LENGTH = 200;
    /**
     * Waymark: event ids, event types, session ids and the free-text members (AppTitle and the like) at most 256
     * characters. Pinpoint documents no such limit; with the others it keeps an event far below Pinpoint's 1,000 KB.
     */
    static final int MAX_TEXT_LENGTH = 256;
    /** The free-text members of an Event, stored as they are sent. */
    private static final List<String> OTHER_MEMBERS =
            List.of("AppPackageName", "AppTitle", "AppVersionCode", "ClientSdkVersion", "SdkName");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private EventRules() {}

    /** Checks one event of the request (the value of {@code Events.<eventId>}) and returns it normalised. */
    static EventDraft read(String eventId, JsonNode event) {
        String path = "Events." + eventId;
        if (eventId.isEmpty()) {
            throw new RuleViolation("Events: an event id must not be empty");
        }
        if (eventId.length() > MAX_TEXT_LENGTH) {
            throw new RuleViolation("Events: an event id must be at most " + MAX_TEXT_LENGTH + " characters");
        }
        if (!event.isObject()) {
            throw new RuleViolation(path + " must be an Event object");
        }
        String eventType = requiredText(event, "EventType", path);
        Instant timestamp = time(event.get("Timestamp"), path + ".Timestamp", true);
        Map<String, String> attributes = attributes(event.get("Attributes"), path + ".Attributes");
        Map<String, Double> metrics = metrics(event.get("Metrics"), path + ".Metrics");
        if (attributes.size() + metrics.size() > MAX_KEYS_PER_EVENT) {
            throw new RuleViolation(path + " has " + (attributes.size() + metrics.size())
                    + " attribute and metric keys; an event may have at most " + MAX_KEYS_PER_EVENT);
        }
        ObjectNode session = session(event.get("Session"), path + ".Session");
        ObjectNode other = null;
        for (String member : OTHER_MEMBERS) {
            JsonNode value = event.get(member);
            if (value != null && !value.isNull()) {
                String text = text(value, path + "." + member);
                if (other == null) {
                    other = NODES.objectNode();
                }
                other.put(member, text);
            }
        }
        return new EventDraft(eventId, eventType, timestamp, attributes, metrics, session, other);
    }

    /**
     * Admits the names of an accepted event into the app's names, or refuses the event when a name it brings would
     * pass one of the app's quotas; {@code names} is left unchanged by a refusal.
     */
    static void admitNames(EventNames names, EventDraft event) {
        checkRoom(names, EventNames.Kind.TYPE, List.of(event.eventType()));
        checkRoom(names, EventNames.Kind.ATTRIBUTE, event.attributes().keySet());
        checkRoom(names, EventNames.Kind.METRIC, event.metrics().keySet());
        names.add(EventNames.Kind.TYPE, event.eventType());
        event.attributes().keySet().forEach(key -> names.add(EventNames.Kind.ATTRIBUTE, key));
        event.metrics().keySet().forEach(key -> names.add(EventNames.Kind.METRIC, key));
    }

    private static void checkRoom(EventNames names, EventNames.Kind kind, Collection<String> wanted) {
        long fresh = wanted.stream().filter(name -> !names.contains(kind, name)).count();
        if (fresh > 0 && names.count(kind) + fresh > kind.quota) {
            throw new RuleViolation("The app has reached its quota of " + kind.quota + " " + kind.description
                    + "; this event brings " + fresh + " new");
        }
    }

    private static Map<String, String> attributes(JsonNode node, String path) {
        Map<String, String> attributes = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return attributes;
        }
        checkMap(node, path, "strings");
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String key = key(entry.getKey(), path);
            JsonNode value = entry.getValue();
            if (!value.isTextual()) {
                throw new RuleViolation(path + "." + key + " must be a string");
            }
            if (value.textValue().length() > MAX_ATTRIBUTE_VALUE_LENGTH) {
                throw new RuleViolation(path + "." + key + " is " + value.textValue().length()
                        + " characters; an attribute value may have at most " + MAX_ATTRIBUTE_VALUE_LENGTH);
            }
            attributes.put(key, value.textValue());
        }
        return attributes;
    }

    private static void checkMap(JsonNode node, String path, String values) {
        if (!node.isObject()) {
            throw new RuleViolation(path + " must be a map of " + values);
        }
        if (node.size() > MAX_KEYS_PER_EVENT) {
            throw new RuleViolation(path + " has " + node.size() + " keys; an event may have at most "
                    + MAX_KEYS_PER_EVENT + " attribute and metric keys");
        }
    }

    private static Map<String, Double> metrics(JsonNode node, String path) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return metrics;
        }
        checkMap(node, path, "numbers");
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String key = key(entry.getKey(), path);
            JsonNode value = entry.getValue();
            if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
                throw new RuleViolation(path + "." + key + " must be a number");
            }
            metrics.put(key, value.doubleValue());
        }
        return metrics;
    }

    private static String key(String key, String path) {
        if (key.isEmpty()) {
            throw new RuleViolation(path + ": a key must not be empty");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw new RuleViolation(path + ": the key '" + key.substring(0, MAX_KEY_LENGTH) + "…' is " + key.length()
                    + " characters; a key may have at most " + MAX_KEY_LENGTH);
        }
        return key;
    }

    private static ObjectNode session(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new RuleViolation(path + " must be a Session object");
        }
        ObjectNode session = NODES.objectNode();
        session.put("Id", requiredText(node, "Id", path));
        session.put("StartTimestamp", WireTime.format(time(node.get("StartTimestamp"), path + ".StartTimestamp", true)));
        Instant stop = time(node.get("StopTimestamp"), path + ".StopTimestamp", false);
        if (stop != null) {
            session.put("StopTimestamp", WireTime.format(stop));
        }
        JsonNode duration = node.get("Duration");
        if (duration != null && !duration.isNull()) {
            if (!duration.canConvertToInt() || !duration.isIntegralNumber() || duration.intValue() < 0) {
                throw new RuleViolation(path + ".Duration must be a whole number of milliseconds from 0 to "
                        + Integer.MAX_VALUE);
            }
            session.put("Duration", duration.intValue());
        }
        return session;
    }

    private static String requiredText(JsonNode parent, String member, String path) {
        JsonNode value = parent.get(member);
        if (value == null || value.isNull()) {
            throw new RuleViolation(path + "." + member + " is required");
        }
        String text = text(value, path + "." + member);
        if (text.isBlank()) {
            throw new RuleViolation(path + "." + member + " must not be empty");
        }
        return text;
    }

    private static String text(JsonNode value, String path) {
        if (!value.isTextual()) {
            throw new RuleViolation(path + " must be a string");
        }
        if (value.textValue().length() > MAX_TEXT_LENGTH) {
            throw new RuleViolation(path + " must be at most " + MAX_TEXT_LENGTH + " characters");
        }
        return value.textValue();
    }

    /** An ISO 8601 date-time with a zone, years 1970 to 9999; null when absent and not required. */
    private static Instant time(JsonNode value, String path, boolean required) {
        if (value == null || value.isNull()) {
            if (required) {
                throw new RuleViolation(path + " is required");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new RuleViolation(path + " must be an ISO 8601 date-time string");
        }
        String text = value.textValue();
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException e) {
            throw new RuleViolation(path + " must be an ISO 8601 date-time with a zone, such as "
                    + "2026-01-01T00:00:00.000Z, not '" + shorten(text) + "'");
        }
        if (instant.isBefore(WireTime.EARLIEST) || instant.isAfter(WireTime.LATEST)) {
            throw new RuleViolation(path + " must be a date-time from 1970-01-01T00:00:00Z to "
                    + "9999-12-31T23:59:59.999Z, not '" + shorten(text) + "'");
        }
        return instant;
    }


    private static String shorten(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "…" : text;
    }
}
