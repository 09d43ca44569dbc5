package dev.waymark.segments;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.rules.RuleViolation;
import dev.waymark.wire.Json;
import org.junit.jupiter.api.Test;

/** The semantic rules of WriteSegmentRequest, each refusal naming the member path. */
class SegmentRulesTest {
    private static void accepted(String json) {
        assertThatCode(() -> SegmentRules.check((ObjectNode) Json.parseStored(json))).doesNotThrowAnyException();
    }

    private static void refused(String json, String message) {
        assertThatThrownBy(() -> SegmentRules.check((ObjectNode) Json.parseStored(json)))
                .isInstanceOf(RuleViolation.class).hasMessage(message);
    }

    private static String attribute(String type, String values) {
        return "{\"Dimensions\": {\"Attributes\": {\"plan\": {\"AttributeType\": \"" + type + "\", \"Values\": "
                + values + "}}}}";
    }

    @Test
    void dimensionsOrGroups() {
        accepted("{\"Name\": \"n\", \"Dimensions\": {}}");
        accepted("{\"Name\": \"n\", \"Dimensions\": {}, \"SegmentGroups\": null}");
        refused("{\"Name\": \"n\"}", "Dimensions or SegmentGroups is required");
        refused("{\"Dimensions\": {}, \"SegmentGroups\": {\"Groups\": [{}]}}",
                "Dimensions and SegmentGroups cannot both be set: send one of them");
        refused("{\"SegmentGroups\": {\"Groups\": []}}", "SegmentGroups.Groups must hold 1 to 5 groups");
        refused("{\"SegmentGroups\": {\"Groups\": [{}, {}, {}, {}, {}, {}]}}",
                "SegmentGroups.Groups must hold 1 to 5 groups");
    }

    @Test
    void attributeValues() {
        accepted(attribute("INCLUSIVE", "[\"gold\", \"\"]"));
        accepted(attribute("BETWEEN", "[\"2025-01-02T00:00:00Z\", \"2025-01-01T00:00:00.123456789Z\"]"));
        refused(attribute("BEFORE", "[]"), "Dimensions.Attributes.plan.Values must hold exactly one value for "
                + "AttributeType BEFORE");
        refused(attribute("BETWEEN", "[\"2025-01-01T00:00:00Z\"]"), "Dimensions.Attributes.plan.Values must hold "
                + "exactly two values for AttributeType BETWEEN");
        String notInstant = " must be an ISO-8601 instant in UTC such as 2025-01-31T00:00:00Z or "
                + "2025-01-31T00:00:00.000Z";
        refused(attribute("ON", "[\"2025-02-30T00:00:00Z\"]"), "Dimensions.Attributes.plan.Values[0]" + notInstant);
        refused(attribute("BETWEEN", "[\"2025-01-01T00:00:00Z\", \"2025-01-01T00:00:00+02:00\"]"),
                "Dimensions.Attributes.plan.Values[1]" + notInstant);
        refused(attribute("AFTER", "[\"2025-01-01\"]"), "Dimensions.Attributes.plan.Values[0]" + notInstant);
        refused(attribute("AFTER", "[\"2025-01-01T00:00:00z\"]"), "Dimensions.Attributes.plan.Values[0]" + notInstant);
        refused(attribute("AFTER", "[\"2025-01-01T24:00:00Z\"]"), "Dimensions.Attributes.plan.Values[0]" + notInstant);
        refused(attribute("CONTAINS", "[\"" + "x".repeat(101) + "\"]"),
                "Dimensions.Attributes.plan.Values[0] is 101 characters long; the limit is 100");
        refused(attribute("INCLUSIVE", "[" + "\"v\",".repeat(100) + "\"v\"]"),
                "Dimensions.Attributes.plan.Values holds 101 values; the limit is 100");
        refused(attribute("NOT_BETWEEN", "[]"), "Dimensions.Attributes.plan.AttributeType must be one of INCLUSIVE, "
                + "EXCLUSIVE, CONTAINS, BEFORE, AFTER, ON, BETWEEN");
        refused("{\"Dimensions\": {\"UserAttributes\": {\"\": {\"Values\": []}}}}",
                "Dimensions.UserAttributes has an empty name");
        refused("{\"Dimensions\": {\"UserAttributes\": {\"" + "n".repeat(51) + "\": {\"Values\": []}}}}",
                "Dimensions.UserAttributes name '" + "n".repeat(50) + "…' is 51 characters long; the limit is 50");
    }

    @Test
    void metricsLocationAndGroupsPaths() {
        refused("{\"SegmentGroups\": {\"Groups\": [{\"Dimensions\": [{}, {\"Metrics\": {\"score\": "
                + "{\"ComparisonOperator\": \"ABOVE\", \"Value\": 1}}}]}]}}",
                "SegmentGroups.Groups[0].Dimensions[1].Metrics.score.ComparisonOperator must be one of GREATER_THAN, "
                        + "LESS_THAN, GREATER_THAN_OR_EQUAL, LESS_THAN_OR_EQUAL, EQUAL");
        String gps = "{\"Dimensions\": {\"Location\": {\"GPSPoint\": {\"Coordinates\": {\"Latitude\": %s, "
                + "\"Longitude\": %s}%s}}}}";
        accepted(gps.formatted("-90", "180", ", \"RangeInKilometers\": 20038"));
        accepted(gps.formatted("0", "0", ""));
        refused(gps.formatted("90.5", "0", ""),
                "Dimensions.Location.GPSPoint.Coordinates.Latitude must be a number from -90 to 90");
        refused(gps.formatted("0", "-180.1", ""),
                "Dimensions.Location.GPSPoint.Coordinates.Longitude must be a number from -180 to 180");
        refused(gps.formatted("0", "0", ", \"RangeInKilometers\": 0"), "Dimensions.Location.GPSPoint."
                + "RangeInKilometers must be more than 0 and at most 20038 (half the Earth's circumference)");
        refused(gps.formatted("0", "0", ", \"RangeInKilometers\": 20038.5"), "Dimensions.Location.GPSPoint."
                + "RangeInKilometers must be more than 0 and at most 20038 (half the Earth's circumference)");
        refused("{\"SegmentGroups\": {\"Groups\": [{\"SourceSegments\": [{\"Id\": \"s\", \"Version\": 0}]}]}}",
                "SegmentGroups.Groups[0].SourceSegments[0].Version must be 1 or more");
        refused("{\"SegmentGroups\": {\"Groups\": [{\"SourceSegments\": [{\"Id\": \"\"}]}]}}",
                "SegmentGroups.Groups[0].SourceSegments[0].Id is required and must not be empty");
        refused("{\"SegmentGroups\": {\"Groups\": [{\"SourceSegments\": [" + "{\"Id\": \"s\"},".repeat(10)
                + "{\"Id\": \"s\"}]}]}}", "SegmentGroups.Groups[0].SourceSegments holds 11 segments; the limit is 10");
    }

    @Test
    void atMostOneHundredDimensionsAcrossGroups() {
        StringBuilder fifty = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            fifty.append(i == 0 ? "" : ", ").append("\"a").append(i).append("\": {\"Values\": [\"v\"]}");
        }
        String group = "{\"Dimensions\": [{\"Attributes\": {" + fifty + "}}]}";
        accepted("{\"SegmentGroups\": {\"Groups\": [" + group + ", " + group + "]}}");
        refused("{\"SegmentGroups\": {\"Groups\": [" + group + ", " + group + ", {\"Dimensions\": [{\"Demographic\": "
                + "{\"Make\": {\"Values\": [\"x\"]}}}]}]}}", "The segment has more than 100 dimensions (the limit, "
                + "counted across every group: each attribute, metric, demographic, country, GPS and recency "
                + "dimension); the one past it is in SegmentGroups.Groups[2].Dimensions[0].Demographic.Make");
    }
}
