package dev.waymark.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.wire.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventFilterRulesTest {
    private static ObjectNode dims(String json) {
        return (ObjectNode) Json.parseStored(json.replace('\'', '"'));
    }

    private static boolean matches(String dimensions, String type, Map<String, String> attributes,
                                   Map<String, Double> metrics) {
        return EventFilterRules.matches(dims(dimensions), type, attributes, metrics);
    }

    private static boolean attr(String type, String values, Map<String, String> attributes) {
        return matches("{'Attributes':{'plan':{'AttributeType':'" + type + "','Values':" + values + "}}}", "buy",
                attributes, Map.of());
    }

    @Test
    void noDimensionsMatchEveryEvent() {
        assertThat(matches("{}", "anything", Map.of(), Map.of())).isTrue();
        assertThat(matches("{'EventType':{'Values':[]}}", "anything", Map.of(), Map.of())).isTrue();
    }

    @Test
    void eventTypeInclusiveIsTheDefaultAndValuesAreOred() {
        assertThat(matches("{'EventType':{'Values':['buy','sell']}}", "sell", Map.of(), Map.of())).isTrue();
        assertThat(matches("{'EventType':{'Values':['buy','sell']}}", "view", Map.of(), Map.of())).isFalse();
        assertThat(matches("{'EventType':{'DimensionType':'INCLUSIVE','Values':['buy']}}", "buy", Map.of(),
                Map.of())).isTrue();
    }

    @Test
    void eventTypeExclusive() {
        assertThat(matches("{'EventType':{'DimensionType':'EXCLUSIVE','Values':['buy']}}", "buy", Map.of(),
                Map.of())).isFalse();
        assertThat(matches("{'EventType':{'DimensionType':'EXCLUSIVE','Values':['buy']}}", "view", Map.of(),
                Map.of())).isTrue();
    }

    @Test
    void attributeInclusiveAndExclusive() {
        assertThat(attr("INCLUSIVE", "['gold','silver']", Map.of("plan", "silver"))).isTrue();
        assertThat(attr("INCLUSIVE", "['gold','silver']", Map.of("plan", "bronze"))).isFalse();
        assertThat(attr("INCLUSIVE", "['gold']", Map.of("plan", "Gold"))).as("exact, case-sensitive").isFalse();
        assertThat(attr("EXCLUSIVE", "['gold','silver']", Map.of("plan", "silver"))).isFalse();
        assertThat(attr("EXCLUSIVE", "['gold','silver']", Map.of("plan", "bronze"))).isTrue();
    }

    @Test
    void aMissingAttributeFailsEveryTypeButExclusive() {
        for (String type : new String[] {"INCLUSIVE", "CONTAINS", "BEFORE", "AFTER", "ON"}) {
            assertThat(attr(type, "['2026-01-01T00:00:00Z']", Map.of("other", "x"))).as(type).isFalse();
        }
        assertThat(attr("BETWEEN", "['2026-01-01T00:00:00Z','2027-01-01T00:00:00Z']", Map.of())).isFalse();
        assertThat(attr("EXCLUSIVE", "['gold']", Map.of())).isTrue();
    }

    @Test
    void attributeContainsIsACaseSensitiveSubstring() {
        assertThat(attr("CONTAINS", "['ew','zz']", Map.of("plan", "new-york"))).isTrue();
        assertThat(attr("CONTAINS", "['EW']", Map.of("plan", "new-york"))).isFalse();
    }

    @Test
    void attributeDatesCompareAsInstants() {
        Map<String, String> at = Map.of("plan", "2026-03-10T12:00:00Z");
        assertThat(attr("BEFORE", "['2026-03-11T00:00:00Z']", at)).isTrue();
        assertThat(attr("BEFORE", "['2026-03-10T12:00:00Z']", at)).isFalse();
        assertThat(attr("AFTER", "['2026-03-10T11:59:59Z']", at)).isTrue();
        assertThat(attr("AFTER", "['2026-03-10T12:00:00Z']", at)).isFalse();
        // Offsets are instants too: 13:00+02:00 is 11:00Z.
        assertThat(attr("AFTER", "['2026-03-10T13:00:00+02:00']", at)).isTrue();
        assertThat(attr("ON", "['2026-03-10T23:59:59Z']", at)).isTrue();
        assertThat(attr("ON", "['2026-03-11T00:00:00Z']", at)).isFalse();
        assertThat(attr("ON", "['2026-03-09T00:00:00Z','2026-03-10T00:00:00Z']", at)).as("OR'ed").isTrue();
        assertThat(attr("BETWEEN", "['2026-03-10T12:00:00Z','2026-03-10T13:00:00Z']", at)).as("inclusive").isTrue();
        assertThat(attr("BETWEEN", "['2026-03-11T00:00:00Z','2026-03-01T00:00:00Z']", at)).as("either order")
                .isTrue();
        assertThat(attr("BETWEEN", "['2026-03-10T12:00:01Z','2026-03-11T00:00:00Z']", at)).isFalse();
        assertThat(attr("BETWEEN", "['2026-03-01T00:00:00Z']", at)).as("one bound").isFalse();
        assertThat(attr("BEFORE", "['2027-01-01T00:00:00Z']", Map.of("plan", "soon"))).as("not a date").isFalse();
    }

    @Test
    void metricsCompareWithEachOperator() {
        String gt = "{'Metrics':{'price':{'ComparisonOperator':'%s','Value':10}}}";
        assertThat(matches(gt.formatted("GREATER_THAN"), "buy", Map.of(), Map.of("price", 10.5))).isTrue();
        assertThat(matches(gt.formatted("GREATER_THAN"), "buy", Map.of(), Map.of("price", 10.0))).isFalse();
        assertThat(matches(gt.formatted("GREATER_THAN_OR_EQUAL"), "buy", Map.of(), Map.of("price", 10.0))).isTrue();
        assertThat(matches(gt.formatted("LESS_THAN"), "buy", Map.of(), Map.of("price", 9.0))).isTrue();
        assertThat(matches(gt.formatted("LESS_THAN"), "buy", Map.of(), Map.of("price", 10.0))).isFalse();
        assertThat(matches(gt.formatted("LESS_THAN_OR_EQUAL"), "buy", Map.of(), Map.of("price", 10.0))).isTrue();
        assertThat(matches(gt.formatted("EQUAL"), "buy", Map.of(), Map.of("price", 10.0))).isTrue();
        assertThat(matches(gt.formatted("EQUAL"), "buy", Map.of(), Map.of("price", 10.1))).isFalse();
        assertThat(matches(gt.formatted("EQUAL"), "buy", Map.of(), Map.of())).as("missing metric").isFalse();
        assertThat(matches(gt.formatted("ABOUT"), "buy", Map.of(), Map.of("price", 10.0))).as("unknown").isFalse();
    }

    @Test
    void everyDimensionMustHold() {
        String all = "{'EventType':{'Values':['buy']},'Attributes':{'plan':{'Values':['gold']}},"
                + "'Metrics':{'price':{'ComparisonOperator':'GREATER_THAN','Value':1}}}";
        assertThat(matches(all, "buy", Map.of("plan", "gold"), Map.of("price", 2.0))).isTrue();
        assertThat(matches(all, "sell", Map.of("plan", "gold"), Map.of("price", 2.0))).isFalse();
        assertThat(matches(all, "buy", Map.of("plan", "silver"), Map.of("price", 2.0))).isFalse();
        assertThat(matches(all, "buy", Map.of("plan", "gold"), Map.of("price", 0.5))).isFalse();
    }
}
