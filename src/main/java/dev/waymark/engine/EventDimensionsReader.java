package dev.waymark.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;

/**
 * Checks a stored EventDimensions before the engine runs it, so that {@link EventFilterRules} never meets a type it
 * would have to guess at: an unknown AttributeType or ComparisonOperator, a Value that is not a number.
 */
final class EventDimensionsReader {
    static final Set<String> DIMENSION_TYPES = Set.of("INCLUSIVE", "EXCLUSIVE");
    static final Set<String> ATTRIBUTE_TYPES = Set.of("INCLUSIVE", "EXCLUSIVE", "CONTAINS", "BEFORE", "AFTER", "ON",
            "BETWEEN");
    static final Set<String> OPERATORS = Set.of("GREATER_THAN", "LESS_THAN", "GREATER_THAN_OR_EQUAL",
            "LESS_THAN_OR_EQUAL", "EQUAL");
    /** Pinpoint allows 40 attribute and metric keys per event; more dimensions than that could never all hold. */
    private static final int MAX_DIMENSIONS = 1000;
    private static final int MAX_VALUES = 1000;

    private final PlanMemberReader read;

    EventDimensionsReader(PlanMemberReader read) {
        this.read = read;
    }

    /** The checked dimensions, an empty object (every event matches) when absent. */
    ObjectNode read(JsonNode parent, String name, String path) {
        ObjectNode dimensions = read.objectOrEmpty(parent, name, path);
        read.object(dimensions, "EventType", path + ".EventType").ifPresent(set -> {
            read.text(set, "DimensionType", path + ".EventType.DimensionType").ifPresent(type -> {
                if (!DIMENSION_TYPES.contains(type)) {
                    throw read.unreadable(path + ".EventType.DimensionType", "must be INCLUSIVE or EXCLUSIVE");
                }
            });
            values(set, path + ".EventType.Values");
        });
        ObjectNode attributes = read.objectOrEmpty(dimensions, "Attributes", path + ".Attributes");
        checkSize(attributes, path + ".Attributes");
        for (Map.Entry<String, JsonNode> entry : attributes.properties()) {
            String at = path + ".Attributes." + entry.getKey();
            if (!entry.getValue().isObject()) {
                throw read.unreadable(at, "must be an object");
            }
            read.text(entry.getValue(), "AttributeType", at + ".AttributeType").ifPresent(type -> {
                if (!ATTRIBUTE_TYPES.contains(type)) {
                    throw read.unreadable(at + ".AttributeType", "must be one of " + ATTRIBUTE_TYPES);
                }
            });
            values(entry.getValue(), at + ".Values");
        }
        ObjectNode metrics = read.objectOrEmpty(dimensions, "Metrics", path + ".Metrics");
        checkSize(metrics, path + ".Metrics");
        for (Map.Entry<String, JsonNode> entry : metrics.properties()) {
            String at = path + ".Metrics." + entry.getKey();
            if (!entry.getValue().isObject()) {
                throw read.unreadable(at, "must be an object");
            }
            String operator = read.requiredText(entry.getValue(), "ComparisonOperator", at + ".ComparisonOperator");
            if (!OPERATORS.contains(operator)) {
                throw read.unreadable(at + ".ComparisonOperator", "must be one of " + OPERATORS);
            }
            JsonNode value = entry.getValue().get("Value");
            if (value == null || !value.isNumber()) {
                throw read.unreadable(at + ".Value", "must be a number");
            }
        }
        return dimensions;
    }

    private void checkSize(ObjectNode map, String path) {
        if (map.size() > MAX_DIMENSIONS) {
            throw read.unreadable(path, "has more than " + MAX_DIMENSIONS + " dimensions");
        }
    }

    private void values(JsonNode dimension, String path) {
        JsonNode values = read.array(dimension, "Values", path, MAX_VALUES);
        for (int i = 0; i < values.size(); i++) {
            if (!values.get(i).isTextual()) {
                throw read.unreadable(path + "[" + i + "]", "must be a string");
            }
        }
    }
}
