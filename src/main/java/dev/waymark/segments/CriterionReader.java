package dev.waymark.segments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.rules.RuleViolation;
import dev.waymark.segments.Criterion.AllOf;
import dev.waymark.segments.Criterion.AnyOf;
import dev.waymark.segments.Criterion.AttributeSource;
import dev.waymark.segments.Criterion.AttributeTest;
import dev.waymark.segments.Criterion.Everyone;
import dev.waymark.segments.Criterion.Field;
import dev.waymark.segments.Criterion.Nobody;
import dev.waymark.segments.Criterion.Not;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a segment definition into its {@link Criterion}, with source segments read through {@link SegmentVersions}
 * and inlined (a missing one, a cycle, or nesting deeper than {@link #MAX_DEPTH} is a RuleViolation), and the tree
 * simplified so that the SQL stays small.
 */
final class CriterionReader {
    /** How deep source segments may nest (a segment's sources are at depth 1). */
    static final int MAX_DEPTH = 5;
    /** Source segments read for one criterion in all: each is a store read. */
    static final int MAX_SOURCE_READS = 100;
    /** Dimensions of one criterion with its sources inlined: bounds the SQL and the Java test. */
    static final int MAX_LEAVES = 1_000;

    private static final Map<String, Duration> RECENCY = Map.of("HR_24", Duration.ofHours(24),
            "DAY_7", Duration.ofDays(7), "DAY_14", Duration.ofDays(14), "DAY_30", Duration.ofDays(30));
    private static final Map<String, Field> DEMOGRAPHIC = Map.of("AppVersion", Field.APP_VERSION,
            "Channel", Field.CHANNEL_TYPE, "DeviceType", Field.DEVICE_TYPE, "Make", Field.MAKE, "Model", Field.MODEL,
            "Platform", Field.PLATFORM);
    private static final List<String> DEMOGRAPHIC_ORDER = List.of("AppVersion", "Channel", "DeviceType", "Make",
            "Model", "Platform");

    private final SegmentVersions versions;

    CriterionReader(SegmentVersions versions) {
        this.versions = versions;
    }

    /** The criterion of a stored segment version. */
    Criterion read(StoredSegment segment) {
        return new Reading(segment.appId(), Optional.empty()).segment(segment, 0);
    }

    /** The criterion of a definition not yet stored (CreateSegment): its sources must exist. */
    Criterion read(String appId, ObjectNode definition) {
        return new Reading(appId, Optional.empty()).definition(definition, 0);
    }

    /**
     * The criterion of a definition about to become the latest version of {@code segmentId} (UpdateSegment): besides
     * what {@link #read(String, ObjectNode)} checks, a source that leads back to this segment's latest version is a
     * cycle.
     */
    Criterion read(String appId, String segmentId, ObjectNode definition) {
        return new Reading(appId, Optional.of(segmentId)).definition(definition, 0);
    }

    /** One read: what it has visited on the current path and how much it has read. */
    private final class Reading {
        private final String appId;
        private final Optional<String> rewritten;
        private final Set<String> path = new HashSet<>();
        private int reads;
        private int leaves;

        Reading(String appId, Optional<String> rewritten) {
            this.appId = appId;
            this.rewritten = rewritten;
        }

        Criterion segment(StoredSegment segment, int depth) {
            if (StoredSegment.IMPORT.equals(segment.type())) {
                leaf();
                return new Criterion.ImportedInto(segment.id());
            }
            String at = segment.id() + "#" + segment.version();
            if (!path.add(at)) {
                throw new RuleViolation("Source segments form a cycle: segment " + segment.id() + " (version "
                        + segment.version() + ") is its own source");
            }
            Criterion criterion = definition(segment.definition(), depth);
            path.remove(at);
            return criterion;
        }

        Criterion definition(ObjectNode definition, int depth) {
            JsonNode dimensions = SegmentRules.present(definition, "Dimensions");
            if (dimensions != null) {
                return dimensions(dimensions);
            }
            JsonNode groups = SegmentRules.present(definition, "SegmentGroups");
            if (groups == null) {
                throw new RuleViolation("Dimensions or SegmentGroups is required");
            }
            List<Criterion> parts = new ArrayList<>();
            for (JsonNode group : groups.path("Groups")) {
                parts.add(allOf(List.of(sources(group, depth), combined(group.path("Type").asText("ALL"),
                        dimensionsList(group.path("Dimensions"))))));
            }
            return combined(groups.path("Include").asText("ALL"), parts);
        }

        private List<Criterion> dimensionsList(JsonNode list) {
            List<Criterion> parts = new ArrayList<>();
            for (JsonNode dimensions : list) {
                parts.add(dimensions(dimensions));
            }
            return parts;
        }

        private Criterion sources(JsonNode group, int depth) {
            JsonNode references = group.path("SourceSegments");
            if (references.isEmpty()) {
                return new Everyone();
            }
            if (depth + 1 > MAX_DEPTH) {
                throw new RuleViolation("Source segments nest more than " + MAX_DEPTH + " deep");
            }
            List<Criterion> parts = new ArrayList<>();
            for (JsonNode reference : references) {
                String id = reference.path("Id").asText("");
                JsonNode pinned = SegmentRules.present(reference, "Version");
                Optional<Integer> version = pinned == null ? Optional.empty() : Optional.of(pinned.asInt());
                if (rewritten.filter(id::equals).isPresent() && version.isEmpty()) {
                    throw new RuleViolation("Source segments form a cycle: source segment " + id
                            + " is the segment being written");
                }
                if (++reads > MAX_SOURCE_READS) {
                    throw new RuleViolation("The segment's sources name more than " + MAX_SOURCE_READS
                            + " segments in all");
                }
                StoredSegment source = versions.find(appId, id, version).orElseThrow(() -> new RuleViolation(
                        "Source segment " + id + version.map(v -> " version " + v).orElse("") + " does not exist"));
                parts.add(segment(source, depth + 1));
            }
            return combined(group.path("SourceType").asText("ANY"), parts);
        }

        private Criterion dimensions(JsonNode dimensions) {
            List<Criterion> parts = new ArrayList<>();
            attributes(dimensions.path("Attributes"), AttributeSource.ENDPOINT_ATTRIBUTES, parts);
            attributes(dimensions.path("UserAttributes"), AttributeSource.USER_ATTRIBUTES, parts);
            for (Map.Entry<String, JsonNode> metric : dimensions.path("Metrics").properties()) {
                leaf();
                parts.add(new Criterion.Metric(metric.getKey(), known(Criterion.Comparison.class,
                        metric.getValue().path("ComparisonOperator").asText(), "Metrics." + metric.getKey()
                                + ".ComparisonOperator"), metric.getValue().path("Value").doubleValue()));
            }
            JsonNode recency = dimensions.path("Behavior").path("Recency");
            if (recency.isObject()) {
                leaf();
                Duration window = RECENCY.get(recency.path("Duration").asText());
                if (window == null) {
                    throw new RuleViolation("Behavior.Recency.Duration must be one of HR_24, DAY_7, DAY_14, DAY_30");
                }
                Criterion active = new Criterion.ActiveWithin(window);
                parts.add("INACTIVE".equals(recency.path("RecencyType").asText()) ? not(active) : active);
            }
            for (String member : DEMOGRAPHIC_ORDER) {
                set(dimensions.path("Demographic").path(member), DEMOGRAPHIC.get(member), parts);
            }
            JsonNode location = dimensions.path("Location");
            set(location.path("Country"), Field.COUNTRY, parts);
            JsonNode gps = location.path("GPSPoint");
            if (gps.isObject()) {
                leaf();
                JsonNode range = SegmentRules.present(gps, "RangeInKilometers");
                parts.add(new Criterion.Near(gps.path("Coordinates").path("Latitude").doubleValue(),
                        gps.path("Coordinates").path("Longitude").doubleValue(),
                        range == null ? SegmentRules.DEFAULT_RANGE_KM : range.doubleValue()));
            }
            return allOf(parts);
        }

        private void attributes(JsonNode map, AttributeSource source, List<Criterion> parts) {
            for (Map.Entry<String, JsonNode> entry : map.properties()) {
                leaf();
                String type = entry.getValue().path("AttributeType").asText("INCLUSIVE");
                List<String> values = texts(entry.getValue().path("Values"));
                boolean exclusive = type.equals("EXCLUSIVE");
                AttributeTest test = known(AttributeTest.class, exclusive ? "INCLUSIVE" : type,
                        "Attributes." + entry.getKey() + ".AttributeType");
                Criterion attribute = test == AttributeTest.INCLUSIVE && values.isEmpty() || test
                        == AttributeTest.CONTAINS && values.isEmpty() ? new Nobody()
                        : new Criterion.Attribute(source, entry.getKey(), test, values);
                parts.add(exclusive ? not(attribute) : attribute);
            }
        }

        private void set(JsonNode dimension, Field field, List<Criterion> parts) {
            if (!dimension.isObject()) {
                return;
            }
            leaf();
            List<String> values = texts(dimension.path("Values"));
            // No endpoint field holds a DeviceType: INCLUSIVE holds for nobody (EXCLUSIVE for everyone).
            Criterion in = values.isEmpty() || field == Field.DEVICE_TYPE ? new Nobody()
                    : new Criterion.FieldIn(field, values);
            parts.add("EXCLUSIVE".equals(dimension.path("DimensionType").asText()) ? not(in) : in);
        }

        private void leaf() {
            if (++leaves > MAX_LEAVES) {
                throw new RuleViolation("The segment with its source segments inlined has more than " + MAX_LEAVES
                        + " dimensions");
            }
        }
    }

    /** The enum constant, or a RuleViolation: SegmentRules refuses others before a definition is stored. */
    private static <E extends Enum<E>> E known(Class<E> type, String name, String path) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(name)) {
                return constant;
            }
        }
        throw new RuleViolation(path + " '" + name + "' is not one the segment grammar knows");
    }

    private static List<String> texts(JsonNode values) {
        List<String> texts = new ArrayList<>();
        values.forEach(value -> texts.add(value.asText()));
        return texts;
    }

    /** ALL, ANY or NONE of the parts; an empty list of parts filters nothing. */
    static Criterion combined(String how, List<Criterion> parts) {
        if (parts.isEmpty()) {
            return new Everyone();
        }
        return switch (how) {
            case "ANY" -> anyOf(parts);
            case "NONE" -> not(anyOf(parts));
            default -> allOf(parts);
        };
    }

    /** All of the parts, flattened and simplified, cheapest first. */
    static Criterion allOf(List<Criterion> parts) {
        List<Criterion> kept = new ArrayList<>();
        for (Criterion part : parts) {
            if (part instanceof Nobody) {
                return part;
            }
            if (part instanceof AllOf all) {
                kept.addAll(all.parts());
            } else if (!(part instanceof Everyone)) {
                kept.add(part);
            }
        }
        kept.sort(Comparator.comparingInt(CriterionSql::cost));
        return kept.isEmpty() ? new Everyone() : kept.size() == 1 ? kept.get(0) : new AllOf(kept);
    }

    /** Any of the parts, flattened and simplified, cheapest first. */
    static Criterion anyOf(List<Criterion> parts) {
        List<Criterion> kept = new ArrayList<>();
        for (Criterion part : parts) {
            if (part instanceof Everyone) {
                return part;
            }
            if (part instanceof AnyOf any) {
                kept.addAll(any.parts());
            } else if (!(part instanceof Nobody)) {
                kept.add(part);
            }
        }
        kept.sort(Comparator.comparingInt(CriterionSql::cost));
        return kept.isEmpty() ? new Nobody() : kept.size() == 1 ? kept.get(0) : new AnyOf(kept);
    }

    /** The negation, simplified. */
    static Criterion not(Criterion part) {
        if (part instanceof Everyone) {
            return new Nobody();
        }
        if (part instanceof Nobody) {
            return new Everyone();
        }
        return part instanceof Not not ? not.part() : new Not(part);
    }
}
