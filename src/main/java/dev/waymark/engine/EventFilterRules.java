package dev.waymark.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * EventDimensions against one event (engine.md E1, E2): the EventType SetDimension (INCLUSIVE or EXCLUSIVE), every
 * Attributes AttributeDimension and every Metrics MetricDimension must hold; several values of one dimension are
 * OR'ed. An absent or empty dimension holds.
 *
 * <p>An attribute the event lacks fails every AttributeType but EXCLUSIVE (it has none of the excluded values); a
 * metric the event lacks fails. BEFORE, AFTER, ON compare the attribute, read as an ISO 8601 instant (Z or an
 * offset), with each value (ON: the same UTC date); BETWEEN takes the first two values as bounds in either order,
 * both included; an attribute or value that is not an instant does not match. A dimension of a type this class
 * does not know does not hold ({@link JourneyPlanReader} refuses such definitions before they run).
 */
public final class EventFilterRules {
    private EventFilterRules() {}

    /** Whether the event of {@code eventType} with these attributes and metrics meets every dimension. */
    public static boolean matches(ObjectNode eventDimensions, String eventType, Map<String, String> attributes,
                                  Map<String, Double> metrics) {
        if (eventDimensions == null) {
            return true;
        }
        JsonNode type = eventDimensions.get("EventType");
        if (type != null && type.isObject() && !eventType(type, eventType)) {
            return false;
        }
        JsonNode attributeDimensions = eventDimensions.path("Attributes");
        for (Map.Entry<String, JsonNode> entry : attributeDimensions.properties()) {
            if (!attribute(entry.getValue(), attributes.get(entry.getKey()))) {
                return false;
            }
        }
        JsonNode metricDimensions = eventDimensions.path("Metrics");
        for (Map.Entry<String, JsonNode> entry : metricDimensions.properties()) {
            if (!metric(entry.getValue(), metrics.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean eventType(JsonNode dimension, String eventType) {
        List<String> values = values(dimension);
        if (values.isEmpty()) {
            return true;
        }
        return switch (dimension.path("DimensionType").asText("INCLUSIVE")) {
            case "INCLUSIVE" -> values.contains(eventType);
            case "EXCLUSIVE" -> !values.contains(eventType);
            default -> false;
        };
    }

    private static boolean attribute(JsonNode dimension, String value) {
        List<String> wanted = values(dimension);
        if (wanted.isEmpty()) {
            return true;
        }
        String type = dimension.path("AttributeType").asText("INCLUSIVE");
        if (value == null) {
            return type.equals("EXCLUSIVE");
        }
        return switch (type) {
            case "INCLUSIVE" -> wanted.contains(value);
            case "EXCLUSIVE" -> !wanted.contains(value);
            case "CONTAINS" -> wanted.stream().anyMatch(value::contains);
            case "BEFORE" -> instant(value).map(at -> wanted.stream().map(EventFilterRules::instant)
                    .anyMatch(bound -> bound.isPresent() && at.isBefore(bound.get()))).orElse(false);
            case "AFTER" -> instant(value).map(at -> wanted.stream().map(EventFilterRules::instant)
                    .anyMatch(bound -> bound.isPresent() && at.isAfter(bound.get()))).orElse(false);
            case "ON" -> instant(value).map(at -> wanted.stream().map(EventFilterRules::instant)
                    .anyMatch(bound -> bound.isPresent() && utcDate(at).equals(utcDate(bound.get()))))
                    .orElse(false);
            case "BETWEEN" -> between(value, wanted);
            default -> false;
        };
    }

    private static boolean between(String value, List<String> wanted) {
        if (wanted.size() < 2) {
            return false;
        }
        Optional<Instant> at = instant(value);
        Optional<Instant> first = instant(wanted.get(0));
        Optional<Instant> second = instant(wanted.get(1));
        if (at.isEmpty() || first.isEmpty() || second.isEmpty()) {
            return false;
        }
        Instant low = first.get().isBefore(second.get()) ? first.get() : second.get();
        Instant high = first.get().isBefore(second.get()) ? second.get() : first.get();
        return !at.get().isBefore(low) && !at.get().isAfter(high);
    }

    private static boolean metric(JsonNode dimension, Double value) {
        JsonNode bound = dimension.get("Value");
        if (value == null || bound == null || !bound.isNumber()) {
            return false;
        }
        double v = value;
        double b = bound.doubleValue();
        return switch (dimension.path("ComparisonOperator").asText("")) {
            case "GREATER_THAN" -> v > b;
            case "LESS_THAN" -> v < b;
            case "GREATER_THAN_OR_EQUAL" -> v >= b;
            case "LESS_THAN_OR_EQUAL" -> v <= b;
            case "EQUAL" -> v == b;
            default -> false;
        };
    }

    private static List<String> values(JsonNode dimension) {
        List<String> values = new ArrayList<>();
        dimension.path("Values").forEach(value -> {
            if (value.isTextual()) {
                values.add(value.textValue());
            }
        });
        return values;
    }

    private static Optional<Instant> instant(String text) {
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static java.time.LocalDate utcDate(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC).toLocalDate();
    }
}
