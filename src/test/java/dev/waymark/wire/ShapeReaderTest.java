package dev.waymark.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.error.ApiException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ShapeReaderTest {
    private static ObjectNode read(String json) {
        return ShapeReader.read(Json.parseBody(json.getBytes(StandardCharsets.UTF_8)), PinpointShapes.WRITE_JOURNEY_REQUEST);
    }

    private static void refused(String json, String message) {
        assertThatThrownBy(() -> read(json)).isInstanceOf(ApiException.class).hasMessage(message);
    }

    @Test
    void keepsKnownMembersDropsUnknownAndNulls() {
        ObjectNode clean = read("{\"Name\":\"j\",\"Extra\":1,\"StartActivity\":null,"
                + "\"Activities\":{\"a\":{\"Wait\":{\"WaitTime\":{\"WaitFor\":\"PT1H\"},\"Unknown\":true}}}}");
        assertThat(clean.toString())
                .isEqualTo("{\"Activities\":{\"a\":{\"Wait\":{\"WaitTime\":{\"WaitFor\":\"PT1H\"}}}},\"Name\":\"j\"}");
    }

    @Test
    void usesTheWireNamesOfRenamedMembers() {
        ObjectNode clean = read("{\"Name\":\"j\",\"Activities\":{\"s\":{\"ConditionalSplit\":{\"Condition\":"
                + "{\"Conditions\":[{\"segmentDimensions\":{\"Demographic\":{\"Platform\":{\"Values\":[\"ios\"]}}},"
                + "\"SegmentDimensions\":{\"ignored\":1}}]}}}}}");
        JsonNode condition = clean.at("/Activities/s/ConditionalSplit/Condition/Conditions/0");
        assertThat(condition.has("segmentDimensions")).isTrue();
        assertThat(condition.has("SegmentDimensions")).isFalse();
    }

    @Test
    void normalisesTimesAndNumbers() {
        ObjectNode clean = read("{\"Name\":\"j\",\"Schedule\":{\"StartTime\":\"2027-01-01T12:00:00+02:00\"},"
                + "\"Activities\":{\"s\":{\"ConditionalSplit\":{\"Condition\":{\"Conditions\":[{\"EventCondition\":"
                + "{\"Dimensions\":{\"Metrics\":{\"m\":{\"ComparisonOperator\":\"EQUAL\",\"Value\":5}}}}}]}}}}}");
        assertThat(clean.at("/Schedule/StartTime").textValue()).isEqualTo("2027-01-01T10:00:00.000Z");
        assertThat(clean.at("/Activities/s/ConditionalSplit/Condition/Conditions/0/EventCondition/Dimensions/Metrics/m/Value")
                .isDouble()).isTrue();
    }

    @Test
    void refusesWithTheMemberPath() {
        refused("{}", "Name is required");
        refused("[]", "The request body must be a JSON object (WriteJourneyRequest)");
        refused("{\"Name\":1}", "Name must be a string, not the integer 1");
        refused("{\"Name\":\"j\",\"LocalTime\":\"true\"}", "LocalTime must be a boolean, not a string");
        refused("{\"Name\":\"j\",\"Limits\":{\"TimeframeCap\":{\"Days\":3000000000}}}",
                "Limits.TimeframeCap.Days must be a 32-bit integer, not the integer 3000000000");
        refused("{\"Name\":\"j\",\"Schedule\":{\"EndTime\":\"tomorrow\"}}",
                "Schedule.EndTime must be an ISO 8601 date-time with a zone, such as 2026-01-01T00:00:00Z, not 'tomorrow'");
        refused("{\"Name\":\"j\",\"Activities\":{\"r\":{\"RandomSplit\":{\"Branches\":[{\"Percentage\":50},{\"Percentage\":\"x\"}]}}}}",
                "Activities.r.RandomSplit.Branches[1].Percentage must be a 32-bit integer, not a string");
        refused("{\"Name\":\"j\",\"Activities\":{\"h\":{\"Holdout\":{}}}}", "Activities.h.Holdout.Percentage is required");
        refused("{\"Name\":\"j\",\"Activities\":{\"s\":{\"SMS\":{\"MessageConfig\":{\"MessageType\":\"LOUD\"}}}}}",
                "Activities.s.SMS.MessageConfig.MessageType must be one of PROMOTIONAL, TRANSACTIONAL, not 'LOUD'");
        refused("{\"Name\":\"j\",\"TimezoneEstimationMethods\":[null]}", "TimezoneEstimationMethods[0] must not be null");
        refused("{\"Name\":\"j\",\"Activities\":[]}", "Activities must be an object, not an array");
    }

    @Test
    void refusesDeeplyNestedDocuments() {
        String deep = "[".repeat(1000) + "]".repeat(1000);
        assertThatThrownBy(() -> Json.parseBody(deep.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("beyond what Waymark parses").hasMessageContaining("nesting depth");
    }
}
