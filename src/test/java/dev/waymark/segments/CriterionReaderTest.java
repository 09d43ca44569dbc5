package dev.waymark.segments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.rules.RuleViolation;
import dev.waymark.segments.Criterion.AllOf;
import dev.waymark.segments.Criterion.AnyOf;
import dev.waymark.segments.Criterion.Attribute;
import dev.waymark.segments.Criterion.AttributeSource;
import dev.waymark.segments.Criterion.AttributeTest;
import dev.waymark.segments.Criterion.Comparison;
import dev.waymark.segments.Criterion.Everyone;
import dev.waymark.segments.Criterion.Field;
import dev.waymark.segments.Criterion.FieldIn;
import dev.waymark.segments.Criterion.Metric;
import dev.waymark.segments.Criterion.Near;
import dev.waymark.segments.Criterion.Nobody;
import dev.waymark.segments.Criterion.Not;
import dev.waymark.wire.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Definitions read into trees: each dimension, the groups, source segments with their versions, cycles and bounds. */
class CriterionReaderTest {
    /** Segment versions in memory: id → versions, the last the latest. */
    private final Map<String, List<StoredSegment>> stored = new HashMap<>();
    private final CriterionReader reader = new CriterionReader((appId, id, version) -> {
        List<StoredSegment> versions = stored.getOrDefault(id, List.of());
        if (versions.isEmpty()) {
            return Optional.empty();
        }
        int wanted = version.orElse(versions.size());
        return wanted >= 1 && wanted <= versions.size() ? Optional.of(versions.get(wanted - 1)) : Optional.empty();
    });

    private static ObjectNode json(String text) {
        return (ObjectNode) Json.parseStored(text);
    }

    private void store(String id, String... definitions) {
        List<StoredSegment> versions = new java.util.ArrayList<>();
        for (int i = 0; i < definitions.length; i++) {
            versions.add(new StoredSegment("app", id, i + 1, StoredSegment.DIMENSIONAL, json(definitions[i]),
                    Instant.EPOCH, Instant.EPOCH));
        }
        stored.put(id, versions);
    }

    private Criterion read(String definition) {
        return reader.read("app", json(definition));
    }

    @Test
    void everyDimensionOfOneObjectHoldsTogetherCheapestFirst() {
        Criterion criterion = read("""
                {"Dimensions": {
                  "Attributes": {"plan": {"Values": ["gold"]}, "x": {"AttributeType": "EXCLUSIVE", "Values": ["1"]}},
                  "UserAttributes": {"d": {"AttributeType": "BETWEEN", "Values": ["2025-01-01T00:00:00Z",
                                                                            "2024-01-01T00:00:00Z"]}},
                  "Metrics": {"score": {"ComparisonOperator": "GREATER_THAN", "Value": 3}},
                  "Behavior": {"Recency": {"Duration": "DAY_7", "RecencyType": "INACTIVE"}},
                  "Demographic": {"Channel": {"Values": ["SMS"]}, "DeviceType": {"Values": ["phone"],
                                  "DimensionType": "EXCLUSIVE"}, "Make": {"DimensionType": "EXCLUSIVE",
                                  "Values": ["Apple"]}},
                  "Location": {"Country": {"Values": ["US", "CA"]}, "GPSPoint": {"Coordinates": {"Latitude": 1,
                               "Longitude": 2}}}}}""");
        assertThat(criterion).isEqualTo(new AllOf(List.of(
                new FieldIn(Field.CHANNEL_TYPE, List.of("SMS")),
                new FieldIn(Field.COUNTRY, List.of("US", "CA")),
                new Near(1, 2, SegmentRules.DEFAULT_RANGE_KM),
                new Metric("score", Comparison.GREATER_THAN, 3),
                new Not(new FieldIn(Field.MAKE, List.of("Apple"))),
                new Attribute(AttributeSource.ENDPOINT_ATTRIBUTES, "plan", AttributeTest.INCLUSIVE, List.of("gold")),
                new Not(new Attribute(AttributeSource.ENDPOINT_ATTRIBUTES, "x", AttributeTest.INCLUSIVE,
                        List.of("1"))),
                new Attribute(AttributeSource.USER_ATTRIBUTES, "d", AttributeTest.BETWEEN,
                        List.of("2025-01-01T00:00:00Z", "2024-01-01T00:00:00Z")),
                new Not(new Criterion.ActiveWithin(Duration.ofDays(7))))));
    }

    @Test
    void emptyAndTrivialDefinitionsSimplify() {
        assertThat(read("{\"Dimensions\": {}}")).isEqualTo(new Everyone());
        assertThat(read("{\"Dimensions\": {\"Demographic\": {\"DeviceType\": {\"Values\": [\"phone\"]}}}}"))
                .isEqualTo(new Nobody());
        assertThat(read("{\"Dimensions\": {\"Attributes\": {\"a\": {\"AttributeType\": \"EXCLUSIVE\","
                + " \"Values\": []}}}}")).isEqualTo(new Everyone());
        assertThat(read("{\"SegmentGroups\": {\"Groups\": [{}]}}")).isEqualTo(new Everyone());
        assertThat(read("{\"SegmentGroups\": {\"Include\": \"NONE\", \"Groups\": [{}]}}")).isEqualTo(new Nobody());
    }

    @Test
    void groupsCombineSourcesAndDimensions() {
        store("s1", "{\"Dimensions\": {\"Location\": {\"Country\": {\"Values\": [\"US\"]}}}}",
                "{\"Dimensions\": {\"Location\": {\"Country\": {\"Values\": [\"FR\"]}}}}");
        store("s2", "{\"Dimensions\": {\"Demographic\": {\"Channel\": {\"Values\": [\"SMS\"]}}}}");
        FieldIn us = new FieldIn(Field.COUNTRY, List.of("US"));
        FieldIn fr = new FieldIn(Field.COUNTRY, List.of("FR"));
        FieldIn sms = new FieldIn(Field.CHANNEL_TYPE, List.of("SMS"));
        Metric score = new Metric("m", Comparison.EQUAL, 1);
        Metric other = new Metric("n", Comparison.EQUAL, 2);
        String dimensions = "\"Dimensions\": [{\"Metrics\": {\"m\": {\"ComparisonOperator\": \"EQUAL\", \"Value\": 1}}},"
                + " {\"Metrics\": {\"n\": {\"ComparisonOperator\": \"EQUAL\", \"Value\": 2}}}]";
        // Defaults: sources ANY (s1 at its latest version, FR), dimensions ALL, groups ALL.
        assertThat(read("{\"SegmentGroups\": {\"Groups\": [{\"SourceSegments\": [{\"Id\": \"s1\"}, {\"Id\": \"s2\"}],"
                + dimensions + "}]}}")).isEqualTo(new AllOf(List.of(score, other, new AnyOf(List.of(fr, sms)))));
        assertThat(read("{\"SegmentGroups\": {\"Include\": \"ANY\", \"Groups\": [{\"SourceType\": \"ALL\", "
                + "\"SourceSegments\": [{\"Id\": \"s1\", \"Version\": 1}, {\"Id\": \"s2\"}], \"Type\": \"NONE\", "
                + dimensions + "}, {\"SourceType\": \"NONE\", \"SourceSegments\": [{\"Id\": \"s2\"}], \"Type\": \"ANY\", "
                + dimensions + "}]}}")).isEqualTo(new AnyOf(List.of(
                new AllOf(List.of(us, sms, new Not(new AnyOf(List.of(score, other))))),
                new AllOf(List.of(new Not(sms), new AnyOf(List.of(score, other)))))));
    }

    @Test
    void importSegmentsAreTheirMembers() {
        stored.put("imp", List.of(new StoredSegment("app", "imp", 1, StoredSegment.IMPORT,
                json("{\"Name\": \"i\", \"ImportDefinition\": {\"Format\": \"CSV\"}}"), Instant.EPOCH, Instant.EPOCH)));
        assertThat(reader.read(stored.get("imp").get(0))).isEqualTo(new Criterion.ImportedInto("imp"));
        assertThat(read("{\"SegmentGroups\": {\"Groups\": [{\"SourceSegments\": [{\"Id\": \"imp\"}]}]}}"))
                .isEqualTo(new Criterion.ImportedInto("imp"));
    }

    @Test
    void missingSourcesCyclesAndDepthAreRefused() {
        assertThatThrownBy(() -> read(group("nope", null))).isInstanceOf(RuleViolation.class)
                .hasMessage("Source segment nope does not exist");
        store("s1", "{\"Dimensions\": {}}");
        assertThatThrownBy(() -> read(group("s1", 2))).isInstanceOf(RuleViolation.class)
                .hasMessage("Source segment s1 version 2 does not exist");
        store("a", group("b", null));
        store("b", group("a", null));
        assertThatThrownBy(() -> reader.read(stored.get("a").get(0))).isInstanceOf(RuleViolation.class)
                .hasMessageContaining("cycle");
        store("self", group("self", null));
        assertThatThrownBy(() -> reader.read(stored.get("self").get(0))).isInstanceOf(RuleViolation.class)
                .hasMessageContaining("cycle");
        // Writing s1 so that it names itself, or a segment that names it, would make a cycle.
        store("names-s1", group("s1", null));
        assertThatThrownBy(() -> reader.read("app", "s1", json(group("names-s1", null))))
                .isInstanceOf(RuleViolation.class).hasMessageContaining("cycle");
        assertThatThrownBy(() -> reader.read("app", "s1", json(group("s1", null))))
                .isInstanceOf(RuleViolation.class).hasMessageContaining("cycle");
        // A pinned older version of itself is no cycle.
        assertThat(reader.read("app", "s1", json(group("s1", 1)))).isEqualTo(new Everyone());
        store("d0", "{\"Dimensions\": {\"Metrics\": {\"m\": {\"ComparisonOperator\": \"EQUAL\", \"Value\": 1}}}}");
        for (int depth = 1; depth <= 5; depth++) {
            store("d" + depth, group("d" + (depth - 1), null));
        }
        assertThat(read(group("d4", null))).isEqualTo(new Metric("m", Comparison.EQUAL, 1));
        assertThatThrownBy(() -> read(group("d5", null))).isInstanceOf(RuleViolation.class)
                .hasMessage("Source segments nest more than 5 deep");
    }

    @Test
    void inliningIsBounded() {
        StringBuilder metrics = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            metrics.append(i == 0 ? "" : ", ").append("\"m").append(i).append("\": {\"ComparisonOperator\": ")
                    .append("\"EQUAL\", \"Value\": 1}");
        }
        store("wide", "{\"Dimensions\": {\"Metrics\": {" + metrics + "}}}");
        StringBuilder sources = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            sources.append(i == 0 ? "" : ", ").append("{\"Id\": \"wide\"}");
        }
        store("ten", "{\"SegmentGroups\": {\"Groups\": [{\"SourceSegments\": [" + sources + "]}]}}");
        assertThat(read("{\"SegmentGroups\": {\"Groups\": [{\"SourceSegments\": [{\"Id\": \"ten\"}]}]}}"))
                .isInstanceOf(AnyOf.class);
        assertThatThrownBy(() -> read("{\"SegmentGroups\": {\"Groups\": [{\"SourceSegments\": [{\"Id\": \"ten\"}, "
                + "{\"Id\": \"wide\"}]}]}}")).isInstanceOf(RuleViolation.class)
                .hasMessage("The segment with its source segments inlined has more than 1000 dimensions");
    }

    private static String group(String source, Integer version) {
        return "{\"SegmentGroups\": {\"Groups\": [{\"SourceSegments\": [{\"Id\": \"" + source + "\""
                + (version == null ? "" : ", \"Version\": " + version) + "}]}]}}";
    }
}
