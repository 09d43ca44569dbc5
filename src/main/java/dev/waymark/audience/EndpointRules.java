package dev.waymark.audience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.rules.RuleViolation;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Pinpoint's endpoint rules: what an endpoint id, attribute, metric or member may hold, and how an update merges
 * into the stored endpoint (members sent replace, members omitted are kept, an attribute key sent replaces its list).
 */
final class EndpointRules {
    /** Pinpoint documents no length; ids are meant to be GUIDs, and 128 leaves room for any id scheme seen in use. */
    static final int MAX_ID_LENGTH = 128;
    static final int MAX_ATTRIBUTE_NAME_LENGTH = 50;
    static final int MAX_ATTRIBUTE_VALUE_LENGTH = 100;
    static final int MAX_VALUES_PER_ATTRIBUTE = 50;
    /** Pinpoint's 15 KB, measured as the UTF-8 JSON of the endpoint's members. */
    static final int MAX_ENDPOINT_BYTES = 15 * 1024;
    /** Bounds the members Pinpoint gives no limit for (Address, Demographic.Make, ...); the endpoint cap bounds them too. */
    static final int MAX_TEXT_LENGTH = 1024;

    static final Set<String> STATUSES = Set.of("ACTIVE", "INACTIVE");
    static final Set<String> OPT_OUTS = Set.of("ALL", "NONE");
    private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();

    private final Clock clock;

    EndpointRules(Clock clock) {
        this.clock = clock;
    }

    /** The stored key of an endpoint id: ids are case-insensitive. */
    static String key(String id) {
        return id.toLowerCase(Locale.ROOT);
    }

    /** Refuses an id Pinpoint would refuse (or one beyond Waymark's length bound). */
    static void checkId(String id) {
        if (id == null || id.isEmpty()) {
            throw new RuleViolation("The endpoint Id is required and must not be empty");
        }
        if (id.length() > MAX_ID_LENGTH) {
            throw new RuleViolation("The endpoint Id is " + id.length() + " characters long; the limit is "
                    + MAX_ID_LENGTH);
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c == '$' || c == '{' || c == '}') {
                throw new RuleViolation("The endpoint Id must not contain '$', '{' or '}'");
            }
            if (Character.isISOControl(c)) {
                throw new RuleViolation("The endpoint Id must not contain control characters");
            }
        }
    }

    /** Checks the members of an update (already read against the EndpointRequest shape). */
    void check(ObjectNode sent) {
        checkAttributes(sent.path("Attributes"), "Attributes");
        checkAttributes(sent.path("User").path("UserAttributes"), "User.UserAttributes");
        sent.path("Metrics").properties().forEach(entry -> {
            checkName(entry.getKey(), "Metrics");
            // 1e400 parses as a JSON number but is an infinite double: no database stores it as JSON.
            if (!Double.isFinite(entry.getValue().doubleValue())) {
                throw new RuleViolation("Metrics." + shorten(entry.getKey()) + " must be a finite number");
            }
        });
        text(sent, "EndpointStatus").ifPresent(status -> oneOf(status, STATUSES, "EndpointStatus"));
        text(sent, "OptOut").ifPresent(optOut -> oneOf(optOut, OPT_OUTS, "OptOut"));
        text(sent, "EffectiveDate").ifPresent(EndpointRules::effectiveMillis);
        for (String member : new String[] {"Address", "RequestId"}) {
            text(sent, member).ifPresent(value -> bounded(value, member));
        }
        text(sent.path("User"), "UserId").ifPresent(userId -> {
            bounded(userId, "User.UserId");
            if (userId.isEmpty()) {
                throw new RuleViolation("User.UserId must not be empty");
            }
        });
        sent.path("Demographic").properties().forEach(entry ->
                bounded(entry.getValue().asText(), "Demographic." + entry.getKey()));
        text(sent.path("Demographic"), "Timezone").ifPresent(zone -> {
            if (!ZONES.contains(zone)) {
                throw new RuleViolation("Demographic.Timezone must be a tz database name such as America/Los_Angeles,"
                        + " not '" + shorten(zone) + "'");
            }
        });
        JsonNode location = sent.path("Location");
        location.properties().forEach(entry -> {
            if (entry.getValue().isTextual()) {
                bounded(entry.getValue().textValue(), "Location." + entry.getKey());
            }
        });
        range(location.path("Latitude"), 90, "Location.Latitude");
        range(location.path("Longitude"), 180, "Location.Longitude");
    }

    /**
     * The endpoint after applying {@code sent} to {@code existing} (or creating it); user attributes are taken from
     * {@code userAttributes}, which the caller has merged across the user's endpoints.
     */
    Endpoint merge(String appId, String id, ObjectNode sent, Optional<Endpoint> existing) {
        long now = clock.millis();
        String key = key(id);
        Endpoint old = existing.orElse(null);
        ObjectNode attributes = mergeMap(old == null ? null : old.attributes(), sent.path("Attributes"));
        ObjectNode metrics = mergeMap(old == null ? null : old.metrics(), sent.path("Metrics"));
        ObjectNode demographic = mergeMap(old == null ? null : old.demographic(), sent.path("Demographic"));
        ObjectNode location = mergeMap(old == null ? null : old.location(), sent.path("Location"));
        JsonNode user = sent.path("User");
        String userId = text(user, "UserId").orElse(old == null ? null : old.userId());
        ObjectNode userAttributes = mergeMap(old == null ? null : old.userAttributes(), user.path("UserAttributes"));
        Optional<String> effective = text(sent, "EffectiveDate");
        String effectiveDate = effective.orElseGet(() -> dev.waymark.wire.WireTime.format(Instant.ofEpochMilli(now)));
        long effectiveMs = effective.map(EndpointRules::effectiveMillis).orElse(now);
        Endpoint merged = new Endpoint(old == null ? id : old.id(), key,
                text(sent, "ChannelType").orElse(old == null ? null : old.channelType()),
                text(sent, "Address").orElse(old == null ? null : old.address()),
                // Pinpoint makes an endpoint ACTIVE on every update; a status sent explicitly is kept.
                text(sent, "EndpointStatus").orElse("ACTIVE"),
                text(sent, "OptOut").orElse(old == null ? null : old.optOut()),
                text(sent, "RequestId").orElse(old == null ? null : old.requestId()),
                userId, userAttributes, attributes, metrics, demographic, location,
                old == null ? cohort(appId, key) : old.cohortId(), old == null ? now : old.createdMs(), now,
                effectiveDate, effectiveMs);
        checkSize(merged);
        return merged;
    }

    /** Refuses an endpoint over Pinpoint's 15 KB. */
    static void checkSize(Endpoint endpoint) {
        long bytes = 200;
        for (String text : new String[] {endpoint.id(), endpoint.channelType(), endpoint.address(),
                endpoint.optOut(), endpoint.requestId(), endpoint.userId(), endpoint.effectiveDate()}) {
            bytes += text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
        }
        for (ObjectNode node : new ObjectNode[] {endpoint.attributes(), endpoint.metrics(), endpoint.demographic(),
                endpoint.location(), endpoint.userAttributes()}) {
            bytes += node.isEmpty() ? 0 : node.toString().getBytes(StandardCharsets.UTF_8).length;
        }
        if (bytes > MAX_ENDPOINT_BYTES) {
            throw new RuleViolation("The endpoint would be " + bytes + " bytes; the limit is " + MAX_ENDPOINT_BYTES
                    + " bytes (15 KB) per endpoint");
        }
    }

    /** A stable cohort in 0..99 for an endpoint: assigned once, the same on every node and after every restart. */
    static int cohort(String appId, String key) {
        int hash = (appId + '\u0000' + key).hashCode();
        hash ^= hash >>> 16;
        hash *= 0x85ebca6b;
        hash ^= hash >>> 13;
        return Math.floorMod(hash, 100);
    }

    /** An ISO 8601 date-time (with a zone, or a date alone, read as UTC) as epoch milliseconds. */
    static long effectiveMillis(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeException | ArithmeticException e) {
            // ArithmeticException: a year such as +999999999 parses but has no epoch milliseconds.
            try {
                return java.time.LocalDate.parse(text).atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toEpochMilli();
            } catch (DateTimeException | ArithmeticException notADate) {
                throw new RuleViolation("EffectiveDate must be an ISO 8601 date-time such as 2026-01-01T00:00:00Z, not '"
                        + shorten(text) + "'");
            }
        }
    }

    static void checkName(String name, String member) {
        if (name.isEmpty()) {
            throw new RuleViolation(member + " has an empty attribute name");
        }
        if (name.length() > MAX_ATTRIBUTE_NAME_LENGTH) {
            throw new RuleViolation(member + " name '" + shorten(name) + "' is " + name.length()
                    + " characters long; the limit is " + MAX_ATTRIBUTE_NAME_LENGTH);
        }
    }

    private static void checkAttributes(JsonNode map, String member) {
        for (Map.Entry<String, JsonNode> entry : map.properties()) {
            checkName(entry.getKey(), member);
            JsonNode values = entry.getValue();
            if (values.size() > MAX_VALUES_PER_ATTRIBUTE) {
                throw new RuleViolation(member + "." + entry.getKey() + " has " + values.size()
                        + " values; the limit is " + MAX_VALUES_PER_ATTRIBUTE + " values per attribute");
            }
            for (JsonNode value : values) {
                if (value.asText().length() > MAX_ATTRIBUTE_VALUE_LENGTH) {
                    throw new RuleViolation(member + "." + entry.getKey() + " has a value of "
                            + value.asText().length() + " characters; the limit is " + MAX_ATTRIBUTE_VALUE_LENGTH
                            + " characters per attribute value");
                }
            }
        }
    }

    private static ObjectNode mergeMap(ObjectNode old, JsonNode sent) {
        ObjectNode merged = old == null ? Endpoint.emptyObject() : old.deepCopy();
        sent.properties().forEach(entry -> merged.set(entry.getKey(), entry.getValue().deepCopy()));
        return merged;
    }

    private static Optional<String> text(JsonNode node, String member) {
        JsonNode value = node.path(member);
        return value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
    }

    private static void oneOf(String value, Set<String> allowed, String member) {
        if (!allowed.contains(value)) {
            throw new RuleViolation(member + " must be one of " + new java.util.TreeSet<>(allowed) + ", not '"
                    + shorten(value) + "'");
        }
    }

    private static void bounded(String value, String member) {
        if (value.length() > MAX_TEXT_LENGTH) {
            throw new RuleViolation(member + " is " + value.length() + " characters long; the limit is "
                    + MAX_TEXT_LENGTH);
        }
    }

    private static void range(JsonNode value, double bound, String member) {
        if (value.isNumber() && !(value.doubleValue() >= -bound && value.doubleValue() <= bound)) {
            throw new RuleViolation(member + " must be from " + (int) -bound + " to " + (int) bound + ", not "
                    + value.doubleValue());
        }
    }

    static String shorten(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "…" : text;
    }
}
