package dev.waymark.segments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.segments.Criterion.AllOf;
import dev.waymark.segments.Criterion.AnyOf;
import dev.waymark.segments.Criterion.Attribute;
import dev.waymark.segments.Criterion.AttributeSource;
import dev.waymark.segments.Criterion.AttributeTest;
import dev.waymark.segments.Criterion.Comparison;
import dev.waymark.segments.Criterion.Field;
import dev.waymark.segments.Criterion.FieldIn;
import dev.waymark.segments.Criterion.Metric;
import dev.waymark.segments.Criterion.Near;
import dev.waymark.segments.Criterion.Not;
import dev.waymark.wire.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each dimension type and operator against three hand-made endpoints, with the members written out by hand, so that
 * a misunderstanding shared by both evaluators cannot pass; each expectation is checked on the SQL and on
 * EndpointMatcher.
 */
class CriterionEvaluationTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final String WEIRD = "we.ird\"$[x]'é";
    private SegmentTestStore store;

    @AfterEach
    void close() throws Exception {
        store.close();
    }

    private void seed(String kind) throws Exception {
        store = SegmentTestStore.open(kind);
        store.write(List.of(
                item("""
                        {"Id": "a", "ChannelType": "EMAIL", "Address": "a@example.com",
                         "Attributes": {"plan": ["gold", "silver"], "joined": ["2025-01-15T10:00:00Z"],
                                        "%s": ["x"]},
                         "User": {"UserId": "u1", "UserAttributes": {"tier": ["pro"]}},
                         "Metrics": {"score": 5, "neg": -2.5},
                         "Location": {"Country": "US", "Latitude": 47.6062, "Longitude": -122.3321},
                         "Demographic": {"Make": "Apple", "Platform": "ios", "AppVersion": "1.2"}}"""
                        .formatted(WEIRD.replace("\"", "\\\""))),
                item("""
                        {"Id": "B", "ChannelType": "SMS", "Address": "+15550100",
                         "Attributes": {"plan": ["bronze"], "joined": ["2025-01-16T00:00:00.5Z", "not a date",
                                        "2025-02-30T00:00:00Z"]},
                         "Metrics": {"score": 10},
                         "Location": {"Country": "us"},
                         "Demographic": {"Make": "Samsung"}}"""),
                item("""
                        {"Id": "c", "ChannelType": "PUSH", "Address": "token",
                         "Location": {"Latitude": 45.5152, "Longitude": -122.6784}}""")));
        store.event("a", "e1", NOW.minus(Duration.ofHours(1)));
        store.event("B", "e2", NOW.minus(Duration.ofHours(25)));
        store.imported("imp1", "a");
        store.imported("imp1", "C");
    }

    private static ObjectNode item(String json) {
        return (ObjectNode) Json.parseStored(json);
    }

    private void expect(Criterion criterion, String... ids) {
        assertThat(store.selected(criterion, NOW, 2)).as("SQL for %s", criterion).containsExactly(ids);
        assertThat(store.matched(criterion, store.all(), NOW)).as("Java for %s", criterion).containsExactly(ids);
    }

    private static Attribute attribute(String name, AttributeTest test, String... values) {
        return new Attribute(AttributeSource.ENDPOINT_ATTRIBUTES, name, test, List.of(values));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void attributesInclusiveExclusiveAndContains(String kind) throws Exception {
        seed(kind);
        expect(attribute("plan", AttributeTest.INCLUSIVE, "gold"), "a");
        expect(attribute("plan", AttributeTest.INCLUSIVE, "bronze", "gold"), "a", "B");
        expect(attribute("plan", AttributeTest.INCLUSIVE, "Gold"));
        // EXCLUSIVE: an endpoint without the attribute is not excluded.
        expect(new Not(attribute("plan", AttributeTest.INCLUSIVE, "gold")), "B", "c");
        expect(attribute("plan", AttributeTest.CONTAINS, "ilv"), "a");
        expect(attribute("plan", AttributeTest.CONTAINS, "GOLD"));
        expect(attribute("plan", AttributeTest.CONTAINS, "zzz", "ronz"), "B");
        expect(attribute("plan", AttributeTest.CONTAINS, ""), "a", "B");
        expect(attribute(WEIRD, AttributeTest.INCLUSIVE, "x"), "a");
        expect(attribute("we.ird", AttributeTest.INCLUSIVE, "x"));
        expect(new Attribute(AttributeSource.USER_ATTRIBUTES, "tier", AttributeTest.INCLUSIVE, List.of("pro")), "a");
        expect(new Attribute(AttributeSource.ENDPOINT_ATTRIBUTES, "tier", AttributeTest.INCLUSIVE, List.of("pro")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void attributeDates(String kind) throws Exception {
        seed(kind);
        expect(attribute("joined", AttributeTest.BEFORE, "2025-01-16T00:00:00Z"), "a");
        expect(attribute("joined", AttributeTest.AFTER, "2025-01-16T00:00:00Z"), "B");
        expect(attribute("joined", AttributeTest.AFTER, "2025-01-16T00:00:00.5Z"));
        expect(attribute("joined", AttributeTest.ON, "2025-01-16T23:59:59Z"), "B");
        expect(attribute("joined", AttributeTest.ON, "2025-01-15T00:00:00Z"), "a");
        // The invalid 2025-02-30 never matches, not even on its own date.
        expect(attribute("joined", AttributeTest.ON, "2025-03-02T00:00:00Z"));
        expect(attribute("joined", AttributeTest.BETWEEN, "2025-01-16T00:00:00.5Z", "2025-01-15T10:00:00Z"),
                "a", "B");
        expect(attribute("joined", AttributeTest.BETWEEN, "2025-01-15T10:00:00.000000001Z", "2025-01-16T00:00:00.4Z"));
        expect(new Not(attribute("joined", AttributeTest.BEFORE, "2030-01-01T00:00:00Z")), "c");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void metrics(String kind) throws Exception {
        seed(kind);
        expect(new Metric("score", Comparison.GREATER_THAN, 5), "B");
        expect(new Metric("score", Comparison.GREATER_THAN_OR_EQUAL, 5), "a", "B");
        expect(new Metric("score", Comparison.EQUAL, 10), "B");
        expect(new Metric("score", Comparison.LESS_THAN, 100), "a", "B");
        expect(new Metric("score", Comparison.LESS_THAN_OR_EQUAL, 5), "a");
        expect(new Metric("neg", Comparison.LESS_THAN, -2.4), "a");
        expect(new Not(new Metric("score", Comparison.LESS_THAN, 100)), "c");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void setDimensionsLocationRecencyAndImports(String kind) throws Exception {
        seed(kind);
        expect(new FieldIn(Field.COUNTRY, List.of("US")), "a");
        expect(new FieldIn(Field.CHANNEL_TYPE, List.of("SMS", "PUSH")), "B", "c");
        expect(new FieldIn(Field.MAKE, List.of("Apple")), "a");
        expect(new FieldIn(Field.PLATFORM, List.of("ios", "android")), "a");
        expect(new FieldIn(Field.APP_VERSION, List.of("1.2")), "a");
        expect(new Not(new FieldIn(Field.MAKE, List.of("Apple"))), "B", "c");
        expect(new FieldIn(Field.DEVICE_TYPE, List.of("phone")));
        expect(new Near(47.6062, -122.3321, 100), "a");
        // Seattle to Portland is about 234 km.
        expect(new Near(47.6062, -122.3321, 230), "a");
        expect(new Near(47.6062, -122.3321, 240), "a", "c");
        expect(new Near(-47.6062, 57.6679, 20_038), "a", "c");
        expect(new Criterion.ActiveWithin(Duration.ofHours(24)), "a");
        expect(new Criterion.ActiveWithin(Duration.ofDays(7)), "a", "B");
        expect(new Not(new Criterion.ActiveWithin(Duration.ofHours(24))), "B", "c");
        expect(new Criterion.ImportedInto("imp1"), "a", "c");
        expect(new Criterion.ImportedInto("other"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void combinations(String kind) throws Exception {
        seed(kind);
        expect(new Criterion.Everyone(), "a", "B", "c");
        expect(new Criterion.Nobody());
        expect(new AllOf(List.of()), "a", "B", "c");
        expect(new AnyOf(List.of()));
        expect(new AllOf(List.of(new FieldIn(Field.CHANNEL_TYPE, List.of("EMAIL", "SMS")),
                new Metric("score", Comparison.GREATER_THAN, 6))), "B");
        expect(new AnyOf(List.of(new FieldIn(Field.COUNTRY, List.of("us")),
                new Criterion.ImportedInto("imp1"))), "a", "B", "c");
        expect(new Not(new AnyOf(List.of(new FieldIn(Field.COUNTRY, List.of("us")),
                new Criterion.ActiveWithin(Duration.ofHours(2))))), "c");
    }
}
