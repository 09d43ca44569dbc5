package dev.waymark.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.engine.JourneyPlanReader.UnreadablePlanException;
import dev.waymark.journeys.IsoDurations;
import dev.waymark.rules.RuleViolation;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Typed reads of single members of a stored definition, each naming the member's path when it cannot be read. A
 * member that is absent (or JSON null) is empty; one that is present with the wrong type is never taken for absent,
 * because a stored value the engine would silently ignore is a guess.
 */
final class PlanMemberReader {
    private final String journeyId;

    PlanMemberReader(String journeyId) {
        this.journeyId = journeyId;
    }

    UnreadablePlanException unreadable(String path, String why) {
        return new UnreadablePlanException("Journey " + journeyId + " cannot be executed: " + path + " " + why);
    }

    /** The member, absent when missing or null. */
    static Optional<JsonNode> member(JsonNode parent, String name) {
        JsonNode value = parent == null ? null : parent.get(name);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    Optional<String> text(JsonNode parent, String name, String path) {
        Optional<JsonNode> value = member(parent, name);
        if (value.isPresent() && !value.get().isTextual()) {
            throw unreadable(path, "must be a string");
        }
        return value.map(JsonNode::textValue);
    }

    String requiredText(JsonNode parent, String name, String path) {
        return text(parent, name, path).orElseThrow(() -> unreadable(path, "is missing"));
    }

    /** A string, or a number written as one (TemplateVersion has been stored both ways). */
    Optional<String> textOrNumber(JsonNode parent, String name, String path) {
        Optional<JsonNode> value = member(parent, name);
        if (value.isPresent() && value.get().isIntegralNumber()) {
            return Optional.of(value.get().asText());
        }
        return text(parent, name, path);
    }

    boolean flag(JsonNode parent, String name, String path) {
        Optional<JsonNode> value = member(parent, name);
        if (value.isPresent() && !value.get().isBoolean()) {
            throw unreadable(path, "must be true or false");
        }
        return value.map(JsonNode::booleanValue).orElse(false);
    }

    /** A whole number from 0 to {@code max}. */
    OptionalInt integer(JsonNode parent, String name, String path, int max) {
        Optional<JsonNode> value = member(parent, name);
        if (value.isEmpty()) {
            return OptionalInt.empty();
        }
        JsonNode node = value.get();
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 0 || node.intValue() > max) {
            throw unreadable(path, "must be a whole number from 0 to " + max);
        }
        return OptionalInt.of(node.intValue());
    }

    /** A limit where Pinpoint documents 0 as "off": empty when absent or 0. */
    OptionalInt limit(JsonNode parent, String name, String path) {
        OptionalInt value = integer(parent, name, path, Integer.MAX_VALUE);
        return value.isPresent() && value.getAsInt() > 0 ? value : OptionalInt.empty();
    }

    Optional<ObjectNode> object(JsonNode parent, String name, String path) {
        Optional<JsonNode> value = member(parent, name);
        if (value.isPresent() && !value.get().isObject()) {
            throw unreadable(path, "must be an object");
        }
        return value.map(ObjectNode.class::cast);
    }

    ObjectNode objectOrEmpty(JsonNode parent, String name, String path) {
        return object(parent, name, path).orElseGet(JsonNodeFactory.instance::objectNode);
    }

    /** An array member, empty when absent. */
    JsonNode array(JsonNode parent, String name, String path, int max) {
        Optional<JsonNode> value = member(parent, name);
        if (value.isEmpty()) {
            return JsonNodeFactory.instance.arrayNode();
        }
        if (!value.get().isArray()) {
            throw unreadable(path, "must be a list");
        }
        if (value.get().size() > max) {
            throw unreadable(path, "has " + value.get().size() + " items, more than the " + max + " the engine runs");
        }
        return value.get();
    }

    Optional<Duration> duration(JsonNode parent, String name, String path) {
        return text(parent, name, path).map(value -> {
            try {
                return IsoDurations.parse(value, path);
            } catch (RuleViolation e) {
                throw unreadable(path, "is not a usable ISO 8601 duration: " + e.getMessage());
            }
        });
    }

    /** An ISO 8601 date-time with an offset or Z. */
    Optional<Instant> instant(JsonNode parent, String name, String path) {
        return text(parent, name, path).map(value -> {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeException e) {
                throw unreadable(path, "is not an ISO 8601 date-time with an offset: '" + shorten(value) + "'");
            }
        });
    }

    /** A wall-clock time, HH:MM or HH:MM:SS. */
    LocalTime time(String value, String path) {
        try {
            return LocalTime.parse(value);
        } catch (DateTimeException e) {
            throw unreadable(path, "is not a time of day HH:MM: '" + shorten(value) + "'");
        }
    }

    /**
     * A local date-time with or without seconds; an offset, when one is written, is dropped: ClosedDays are read in
     * each endpoint's own time zone, so the offset of whoever wrote them means nothing.
     */
    LocalDateTime localDateTime(String value, String path) {
        try {
            return LocalDateTime.parse(value);
        } catch (DateTimeException e) {
            try {
                return OffsetDateTime.parse(value).toLocalDateTime();
            } catch (DateTimeException again) {
                throw unreadable(path, "is not an ISO 8601 local date-time such as 2026-12-24T00:00: '"
                        + shorten(value) + "'");
            }
        }
    }

    static String shorten(String value) {
        return value.length() > 64 ? value.substring(0, 64) + "…" : value;
    }
}
