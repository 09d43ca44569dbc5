package dev.waymark.segments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.rules.RuleViolation;
import java.util.Map;
import java.util.Set;

/**
 * The semantic rules of a WriteSegmentRequest once its wire shape was read (member types right, unknown members
 * gone): Dimensions or SegmentGroups, the limits on dimensions, values and sources, the date values, the operators
 * and the GPS ranges. Each violation names the member path.
 */
final class SegmentRules {
    /** Pinpoint's quota: dimensions in one segment, counted across every group. */
    static final int MAX_DIMENSIONS = 100;
    /** Values in one dimension (Pinpoint's console allows 100 across the segment; the API states none). */
    static final int MAX_VALUES = 100;
    /** Characters in one value (Pinpoint's console limit). */
    static final int MAX_VALUE_LENGTH = 100;
    /** Characters in an attribute or metric name (the endpoints' own limit). */
    static final int MAX_NAME_LENGTH = 50;
    /** Groups in a SegmentGroupList (Pinpoint's console offers 2). */
    static final int MAX_GROUPS = 5;
    /** SegmentDimensions objects in one group's Dimensions list. */
    static final int MAX_GROUP_DIMENSIONS = 100;
    /** Source segments in one group. */
    static final int MAX_SOURCES = 10;
    /** Half the Earth's circumference: every point is within it of every other. */
    static final double MAX_RANGE_KM = 20_038;
    /** RangeInKilometers when a GPSPoint leaves it out (Pinpoint documents no default). */
    static final double DEFAULT_RANGE_KM = 100;

    static final Set<String> COMPARISONS = Set.of("GREATER_THAN", "LESS_THAN", "GREATER_THAN_OR_EQUAL",
            "LESS_THAN_OR_EQUAL", "EQUAL");
    private static final Set<String> ATTRIBUTE_TYPES = Set.of("INCLUSIVE", "EXCLUSIVE", "CONTAINS", "BEFORE",
            "AFTER", "ON", "BETWEEN");
    private static final Set<String> SET_TYPES = Set.of("INCLUSIVE", "EXCLUSIVE");
    private static final Set<String> COMBINATIONS = Set.of("ALL", "ANY", "NONE");
    private static final Set<String> DURATIONS = Set.of("HR_24", "DAY_7", "DAY_14", "DAY_30");
    private static final Set<String> RECENCY_TYPES = Set.of("ACTIVE", "INACTIVE");
    private static final String[] DEMOGRAPHICS = {"AppVersion", "Channel", "DeviceType", "Make", "Model", "Platform"};

    private SegmentRules() {}

    /** Checks a WriteSegmentRequest of a DIMENSIONAL segment; RuleViolation naming the first member that breaks one. */
    static void check(ObjectNode request) {
        JsonNode dimensions = present(request, "Dimensions");
        JsonNode groups = present(request, "SegmentGroups");
        if (dimensions != null && groups != null) {
            throw new RuleViolation("Dimensions and SegmentGroups cannot both be set: send one of them");
        }
        if (dimensions == null && groups == null) {
            throw new RuleViolation("Dimensions or SegmentGroups is required");
        }
        int[] count = {0};
        if (dimensions != null) {
            dimensions(dimensions, "Dimensions", count);
        } else {
            groups(groups, count);
        }
    }

    private static void groups(JsonNode list, int[] count) {
        combination(list, "Include", "SegmentGroups.Include");
        JsonNode groups = list.path("Groups");
        if (!groups.isArray() || groups.isEmpty() || groups.size() > MAX_GROUPS) {
            throw new RuleViolation("SegmentGroups.Groups must hold 1 to " + MAX_GROUPS + " groups");
        }
        for (int g = 0; g < groups.size(); g++) {
            JsonNode group = groups.get(g);
            String path = "SegmentGroups.Groups[" + g + "]";
            combination(group, "Type", path + ".Type");
            combination(group, "SourceType", path + ".SourceType");
            JsonNode dimensions = group.path("Dimensions");
            if (dimensions.size() > MAX_GROUP_DIMENSIONS) {
                throw new RuleViolation(path + ".Dimensions holds " + dimensions.size() + " items; the limit is "
                        + MAX_GROUP_DIMENSIONS);
            }
            for (int d = 0; d < dimensions.size(); d++) {
                dimensions(dimensions.get(d), path + ".Dimensions[" + d + "]", count);
            }
            JsonNode sources = group.path("SourceSegments");
            if (sources.size() > MAX_SOURCES) {
                throw new RuleViolation(path + ".SourceSegments holds " + sources.size() + " segments; the limit is "
                        + MAX_SOURCES);
            }
            for (int s = 0; s < sources.size(); s++) {
                JsonNode source = sources.get(s);
                String at = path + ".SourceSegments[" + s + "]";
                if (source.path("Id").asText("").isEmpty()) {
                    throw new RuleViolation(at + ".Id is required and must not be empty");
                }
                JsonNode version = present(source, "Version");
                if (version != null && (!version.canConvertToInt() || version.asInt() < 1)) {
                    throw new RuleViolation(at + ".Version must be 1 or more");
                }
            }
        }
    }

    private static void dimensions(JsonNode dimensions, String path, int[] count) {
        attributes(dimensions.path("Attributes"), path + ".Attributes", count);
        attributes(dimensions.path("UserAttributes"), path + ".UserAttributes", count);
        for (Map.Entry<String, JsonNode> metric : dimensions.path("Metrics").properties()) {
            String at = path + ".Metrics." + metric.getKey();
            name(metric.getKey(), path + ".Metrics");
            String operator = metric.getValue().path("ComparisonOperator").asText("");
            if (!COMPARISONS.contains(operator)) {
                throw new RuleViolation(at + ".ComparisonOperator must be one of GREATER_THAN, LESS_THAN, "
                        + "GREATER_THAN_OR_EQUAL, LESS_THAN_OR_EQUAL, EQUAL");
            }
            JsonNode value = metric.getValue().path("Value");
            if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
                throw new RuleViolation(at + ".Value must be a finite number");
            }
            counted(count, path);
        }
        JsonNode recency = dimensions.path("Behavior").path("Recency");
        if (!recency.isMissingNode() && !recency.isNull()) {
            oneOf(recency, "Duration", DURATIONS, path + ".Behavior.Recency.Duration");
            oneOf(recency, "RecencyType", RECENCY_TYPES, path + ".Behavior.Recency.RecencyType");
            counted(count, path);
        }
        for (String member : DEMOGRAPHICS) {
            set(dimensions.path("Demographic").path(member), path + ".Demographic." + member, count);
        }
        JsonNode location = dimensions.path("Location");
        set(location.path("Country"), path + ".Location.Country", count);
        JsonNode gps = location.path("GPSPoint");
        if (!gps.isMissingNode() && !gps.isNull()) {
            gps(gps, path + ".Location.GPSPoint");
            counted(count, path);
        }
    }

    private static void attributes(JsonNode map, String path, int[] count) {
        for (Map.Entry<String, JsonNode> entry : map.properties()) {
            name(entry.getKey(), path);
            String at = path + "." + entry.getKey();
            JsonNode dimension = entry.getValue();
            String type = dimension.path("AttributeType").asText("INCLUSIVE");
            if (!ATTRIBUTE_TYPES.contains(type)) {
                throw new RuleViolation(at + ".AttributeType must be one of INCLUSIVE, EXCLUSIVE, CONTAINS, BEFORE, "
                        + "AFTER, ON, BETWEEN");
            }
            JsonNode values = values(dimension, at);
            int needed = switch (type) {
                case "BEFORE", "AFTER", "ON" -> 1;
                case "BETWEEN" -> 2;
                default -> -1;
            };
            if (needed > 0) {
                if (values.size() != needed) {
                    throw new RuleViolation(at + ".Values must hold exactly " + (needed == 1 ? "one value" : "two values")
                            + " for AttributeType " + type);
                }
                for (int i = 0; i < values.size(); i++) {
                    if (IsoInstants.key(values.get(i).asText()).isEmpty()) {
                        throw new RuleViolation(at + ".Values[" + i + "] must be an ISO-8601 instant in UTC such as "
                                + "2025-01-31T00:00:00Z or 2025-01-31T00:00:00.000Z");
                    }
                }
            }
            counted(count, path);
        }
    }

    private static void set(JsonNode dimension, String path, int[] count) {
        if (dimension.isMissingNode() || dimension.isNull()) {
            return;
        }
        String type = dimension.path("DimensionType").asText("INCLUSIVE");
        if (!SET_TYPES.contains(type)) {
            throw new RuleViolation(path + ".DimensionType must be INCLUSIVE or EXCLUSIVE");
        }
        values(dimension, path);
        counted(count, path);
    }

    private static JsonNode values(JsonNode dimension, String path) {
        JsonNode values = dimension.path("Values");
        if (!values.isArray()) {
            throw new RuleViolation(path + ".Values is required");
        }
        if (values.size() > MAX_VALUES) {
            throw new RuleViolation(path + ".Values holds " + values.size() + " values; the limit is " + MAX_VALUES);
        }
        for (int i = 0; i < values.size(); i++) {
            if (!values.get(i).isTextual()) {
                throw new RuleViolation(path + ".Values[" + i + "] must be a string");
            }
            if (values.get(i).textValue().length() > MAX_VALUE_LENGTH) {
                throw new RuleViolation(path + ".Values[" + i + "] is " + values.get(i).textValue().length()
                        + " characters long; the limit is " + MAX_VALUE_LENGTH);
            }
        }
        return values;
    }

    private static void gps(JsonNode gps, String path) {
        JsonNode coordinates = gps.path("Coordinates");
        JsonNode latitude = coordinates.path("Latitude");
        JsonNode longitude = coordinates.path("Longitude");
        if (!latitude.isNumber() || !(latitude.doubleValue() >= -90 && latitude.doubleValue() <= 90)) {
            throw new RuleViolation(path + ".Coordinates.Latitude must be a number from -90 to 90");
        }
        if (!longitude.isNumber() || !(longitude.doubleValue() >= -180 && longitude.doubleValue() <= 180)) {
            throw new RuleViolation(path + ".Coordinates.Longitude must be a number from -180 to 180");
        }
        JsonNode range = present(gps, "RangeInKilometers");
        if (range != null && (!range.isNumber() || !(range.doubleValue() > 0 && range.doubleValue() <= MAX_RANGE_KM))) {
            throw new RuleViolation(path + ".RangeInKilometers must be more than 0 and at most " + (int) MAX_RANGE_KM
                    + " (half the Earth's circumference)");
        }
    }

    private static void name(String name, String path) {
        if (name.isEmpty()) {
            throw new RuleViolation(path + " has an empty name");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new RuleViolation(path + " name '" + name.substring(0, MAX_NAME_LENGTH) + "…' is " + name.length()
                    + " characters long; the limit is " + MAX_NAME_LENGTH);
        }
    }

    private static void combination(JsonNode node, String member, String path) {
        JsonNode value = present(node, member);
        if (value != null && !COMBINATIONS.contains(value.asText())) {
            throw new RuleViolation(path + " must be ALL, ANY or NONE");
        }
    }

    private static void oneOf(JsonNode node, String member, Set<String> allowed, String path) {
        if (!allowed.contains(node.path(member).asText(""))) {
            throw new RuleViolation(path + " must be one of " + String.join(", ", allowed.stream().sorted().toList()));
        }
    }

    private static void counted(int[] count, String path) {
        if (++count[0] > MAX_DIMENSIONS) {
            throw new RuleViolation("The segment has more than " + MAX_DIMENSIONS + " dimensions (the limit, counted "
                    + "across every group: each attribute, metric, demographic, country, GPS and recency dimension); "
                    + "the one past it is in " + path);
        }
    }

    /** The member, or null when absent or JSON null (null counts as absent). */
    static JsonNode present(JsonNode node, String member) {
        JsonNode value = node.get(member);
        return value == null || value.isNull() ? null : value;
    }
}
