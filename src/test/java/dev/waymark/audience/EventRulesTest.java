package dev.waymark.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.rules.RuleViolation;
import dev.waymark.wire.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventRulesTest {
    private static JsonNode json(String text) {
        return Json.parseBody(text.replace('\'', '"').getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static ObjectNode event() {
        return (ObjectNode) json("{'EventType':'song.play','Timestamp':'2026-11-25T10:00:00+01:00',"
                + "'Attributes':{'genre':'jazz'},'Metrics':{'seconds':42.5},'AppTitle':'Player',"
                + "'Session':{'Id':'s1','StartTimestamp':'2026-11-25T08:59:00Z','Duration':1000}}");
    }

    @Test
    void readsAndNormalisesAValidEvent() {
        EventDraft draft = EventRules.read("e1", event());
        assertThat(draft.eventType()).isEqualTo("song.play");
        assertThat(draft.timestamp()).isEqualTo(Instant.parse("2026-11-25T09:00:00Z"));
        assertThat(draft.attributes()).containsEntry("genre", "jazz");
        assertThat(draft.metrics()).containsEntry("seconds", 42.5);
        assertThat(draft.session().get("StartTimestamp").textValue()).isEqualTo("2026-11-25T08:59:00.000Z");
        assertThat(draft.other().get("AppTitle").textValue()).isEqualTo("Player");
    }

    private static void refused(ObjectNode event, String message) {
        assertThatThrownBy(() -> EventRules.read("e1", event)).isInstanceOf(RuleViolation.class)
                .hasMessageContaining(message);
    }

    @Test
    void timestampIsRequiredAndMustParse() {
        refused((ObjectNode) event().without("Timestamp"), "Events.e1.Timestamp is required");
        refused(event().put("Timestamp", "yesterday"), "Events.e1.Timestamp must be an ISO 8601 date-time");
        refused(event().put("Timestamp", "2026-11-25T10:00:00"), "Events.e1.Timestamp must be an ISO 8601");
        refused(event().put("Timestamp", 1764064800000L), "Events.e1.Timestamp must be an ISO 8601");
        refused(event().put("Timestamp", "1969-12-31T23:59:59Z"), "from 1970-01-01T00:00:00Z");
    }

    @Test
    void eventTypeIsRequired() {
        refused((ObjectNode) event().without("EventType"), "Events.e1.EventType is required");
        refused(event().put("EventType", " "), "Events.e1.EventType must not be empty");
        refused(event().put("EventType", "x".repeat(257)), "Events.e1.EventType must be at most 256");
    }

    @Test
    void attributeAndMetricBounds() {
        ObjectNode longKey = event();
        ((ObjectNode) longKey.get("Attributes")).put("k".repeat(51), "v");
        refused(longKey, "a key may have at most 50");
        ObjectNode longValue = event();
        ((ObjectNode) longValue.get("Attributes")).put("k", "v".repeat(201));
        refused(longValue, "Events.e1.Attributes.k is 201 characters; an attribute value may have at most 200");
        ObjectNode longMetric = event();
        ((ObjectNode) longMetric.get("Metrics")).put("m".repeat(51), 1);
        refused(longMetric, "Events.e1.Metrics: the key");
        ObjectNode tooMany = event();
        // 1 + 1 given, 39 more: 41 keys, split over both maps.
        for (int i = 0; i < 39; i++) {
            if (i % 2 == 0) {
                ((ObjectNode) tooMany.get("Attributes")).put("k" + i, "v");
            } else {
                ((ObjectNode) tooMany.get("Metrics")).put("k" + i, i);
            }
        }
        refused(tooMany, "an event may have at most 40");
        ObjectNode exactly40 = event();
        for (int i = 0; i < 38; i++) {
            ((ObjectNode) exactly40.get("Attributes")).put("k" + i, "v");
        }
        assertThat(EventRules.read("e1", exactly40).attributes()).hasSize(39);
        ObjectNode wrongMetric = event();
        ((ObjectNode) wrongMetric.get("Metrics")).put("m", "ten");
        refused(wrongMetric, "Events.e1.Metrics.m must be a number");
    }

    @Test
    void sessionNeedsIdAndStart() {
        ObjectNode noId = event();
        ((ObjectNode) noId.get("Session")).remove("Id");
        refused(noId, "Events.e1.Session.Id is required");
        ObjectNode noStart = event();
        ((ObjectNode) noStart.get("Session")).remove("StartTimestamp");
        refused(noStart, "Events.e1.Session.StartTimestamp is required");
        ObjectNode badStop = event();
        ((ObjectNode) badStop.get("Session")).put("StopTimestamp", "later");
        refused(badStop, "Events.e1.Session.StopTimestamp must be an ISO 8601");
        ObjectNode negative = event();
        ((ObjectNode) negative.get("Session")).put("Duration", -1);
        refused(negative, "Events.e1.Session.Duration must be a whole number");
    }

    @Test
    void appQuotasCountOnlyNewNames() {
        EventNames names = new EventNames();
        for (int i = 0; i < 1500; i++) {
            names.add(EventNames.Kind.TYPE, "type" + i);
        }
        EventDraft known = new EventDraft("e", "type7", Instant.EPOCH, java.util.Map.of(), java.util.Map.of(),
                null, null);
        EventRules.admitNames(names, known);
        EventDraft fresh = new EventDraft("e", "another", Instant.EPOCH, java.util.Map.of(), java.util.Map.of(),
                null, null);
        assertThatThrownBy(() -> EventRules.admitNames(names, fresh)).isInstanceOf(RuleViolation.class)
                .hasMessageContaining("quota of 1500 custom event types");
        assertThat(names.count(EventNames.Kind.TYPE)).isEqualTo(1500);
        EventNames attributes = new EventNames();
        for (int i = 0; i < 499; i++) {
            attributes.add(EventNames.Kind.ATTRIBUTE, "a" + i);
        }
        EventDraft two = new EventDraft("e", "t", Instant.EPOCH, java.util.Map.of("x", "1", "y", "2"),
                java.util.Map.of(), null, null);
        assertThatThrownBy(() -> EventRules.admitNames(attributes, two)).hasMessageContaining("500 event attribute keys");
        assertThat(attributes.count(EventNames.Kind.TYPE)).as("a refused event adds no name").isZero();
        EventDraft metrics = new EventDraft("e", "t", Instant.EPOCH, java.util.Map.of(), java.util.Map.of("m", 1.0),
                null, null);
        EventRules.admitNames(attributes, metrics);
        assertThat(attributes.count(EventNames.Kind.METRIC)).isEqualTo(1);
        assertThat(List.of(EventNames.Kind.TYPE.quota, EventNames.Kind.METRIC.quota)).containsExactly(1500, 500);
    }

    @Test
    void requestLevelRefusals() {
        assertThatThrownBy(() -> EventsRequestReader.read(json("{}"))).hasMessage("BatchItem is required");
        assertThatThrownBy(() -> EventsRequestReader.read(json("[1]"))).hasMessageContaining("JSON object");
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            events.append(i == 0 ? "" : ",").append("'e").append(i).append("':{}");
        }
        assertThatThrownBy(() -> EventsRequestReader.read(json("{'BatchItem':{'a':{'Endpoint':{},'Events':{"
                + events + "}}}}"))).hasMessageContaining("101 events; a request may have at most 100");
    }

    @Test
    void oneBadEventOrEndpointDoesNotRefuseItsNeighbours() {
        List<EventBatch> batches = EventsRequestReader.read(json("{'BatchItem':{"
                + "'a':{'Endpoint':{'ChannelType':'EMAIL'},'Events':{'good':" + event() .toString().replace('"', '\'')
                + ",'bad':{'EventType':'x'}}},"
                + "'b':{'Events':{'e':" + event().toString().replace('"', '\'') + "}},"
                + "'c':{'Endpoint':{}}}}"));
        assertThat(batches).hasSize(3);
        assertThat(batches.get(0).endpoint().get("Id").textValue()).isEqualTo("a");
        assertThat(batches.get(0).events().get(0).draft()).isNotNull();
        assertThat(batches.get(0).events().get(1).refusal()).isEqualTo("Events.bad.Timestamp is required");
        assertThat(batches.get(1).endpointRefusal()).isEqualTo("BatchItem.b.Endpoint is required");
        assertThat(batches.get(1).events()).hasSize(1);
        assertThat(batches.get(2).endpointRefusal()).isEqualTo("BatchItem.c.Events is required");
    }
}
