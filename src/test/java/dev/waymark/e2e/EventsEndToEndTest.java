package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.waymark.audience.EventLog;
import dev.waymark.audience.EventRecord;
import dev.waymark.auth.AccessKey;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.pinpoint.PinpointClient;
import software.amazon.awssdk.services.pinpoint.model.BadRequestException;
import software.amazon.awssdk.services.pinpoint.model.EndpointResponse;
import software.amazon.awssdk.services.pinpoint.model.Event;
import software.amazon.awssdk.services.pinpoint.model.EventsBatch;
import software.amazon.awssdk.services.pinpoint.model.ForbiddenException;
import software.amazon.awssdk.services.pinpoint.model.ItemResponse;
import software.amazon.awssdk.services.pinpoint.model.NotFoundException;
import software.amazon.awssdk.services.pinpoint.model.PublicEndpoint;

/** PutEvents through the Java SDK: per-item results, the endpoint it writes, retries, every limit, the event log. */
class EventsEndToEndTest extends EndToEndTest {
    private static final String WHEN = "2026-11-25T10:00:00.000Z";

    private static Event.Builder event(String type) {
        return Event.builder().eventType(type).timestamp(WHEN);
    }

    private static PublicEndpoint email(String address) {
        return PublicEndpoint.builder().channelType("EMAIL").address(address).build();
    }

    private static EventsBatch batch(PublicEndpoint endpoint, Map<String, Event> events) {
        return EventsBatch.builder().endpoint(endpoint).events(events).build();
    }

    private Map<String, ItemResponse> put(String appId, Map<String, EventsBatch> items) {
        return put(client, appId, items);
    }

    private static Map<String, ItemResponse> put(PinpointClient as, String appId, Map<String, EventsBatch> items) {
        return as.putEvents(r -> r.applicationId(appId).eventsRequest(e -> e.batchItem(items)))
                .eventsResponse().results();
    }

    private EventLog log() {
        return waymark.server().store().events();
    }

    @Test
    void oneBadEventOrEndpointDoesNotFailItsNeighbours() {
        String app = createApp("events");
        Map<String, Event> events = new LinkedHashMap<>();
        events.put("good-1", event("song.play").attributes(Map.of("genre", "jazz")).metrics(Map.of("seconds", 42.0))
                .session(s -> s.id("s1").startTimestamp(WHEN).duration(1000)).build());
        events.put("no-time", Event.builder().eventType("song.play").build());
        events.put("bad-time", event("song.play").timestamp("yesterday").build());
        events.put("good-2", event("song.stop").build());
        Map<String, EventsBatch> items = new LinkedHashMap<>();
        items.put("phone-1", batch(email("a@example.com"), events));
        items.put("pigeon", batch(PublicEndpoint.builder().channelType("CARRIER_PIGEON").address("coo").build(),
                Map.of("e1", event("song.play").build())));
        Map<String, ItemResponse> results = put(app, items);

        ItemResponse phone = results.get("phone-1");
        assertThat(phone.endpointItemResponse().statusCode()).isEqualTo(202);
        assertThat(phone.endpointItemResponse().message()).isEqualTo("Accepted");
        assertThat(phone.eventsItemResponse().get("good-1").statusCode()).isEqualTo(202);
        assertThat(phone.eventsItemResponse().get("good-2").statusCode()).isEqualTo(202);
        assertThat(phone.eventsItemResponse().get("no-time").statusCode()).isEqualTo(400);
        assertThat(phone.eventsItemResponse().get("no-time").message()).isEqualTo("Events.no-time.Timestamp is required");
        assertThat(phone.eventsItemResponse().get("bad-time").message())
                .startsWith("Events.bad-time.Timestamp must be an ISO 8601 date-time");
        ItemResponse pigeon = results.get("pigeon");
        assertThat(pigeon.endpointItemResponse().statusCode()).isEqualTo(400);
        assertThat(pigeon.endpointItemResponse().message()).contains("ChannelType");
        assertThat(pigeon.eventsItemResponse().get("e1").statusCode()).isEqualTo(400);
        assertThat(pigeon.eventsItemResponse().get("e1").message())
                .startsWith("The event's endpoint was not accepted: ").contains("ChannelType");

        List<EventRecord> stored = log().ofEndpoint(app, "PHONE-1", Instant.EPOCH, 100);
        assertThat(stored).extracting(EventRecord::eventId).containsExactlyInAnyOrder("good-1", "good-2");
        EventRecord first = stored.stream().filter(e -> e.eventId().equals("good-1")).findFirst().orElseThrow();
        assertThat(first.eventType()).isEqualTo("song.play");
        assertThat(first.endpointKey()).isEqualTo("phone-1");
        assertThat(first.timestamp()).isEqualTo(Instant.parse(WHEN));
        assertThat(first.attributes()).isEqualTo(Map.of("genre", "jazz"));
        assertThat(first.metrics()).isEqualTo(Map.of("seconds", 42.0));
        assertThat(first.session().orElseThrow().get("Id").textValue()).isEqualTo("s1");
        assertThat(log().ofType(app, "song.stop", Instant.EPOCH, 10)).extracting(EventRecord::eventId)
                .containsExactly("good-2");
        assertThat(log().ofEndpoint(app, "pigeon", Instant.EPOCH, 10)).isEmpty();
        assertThatThrownBy(() -> client.getEndpoint(r -> r.applicationId(app).endpointId("pigeon")))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void putEventsCreatesAndUpdatesItsEndpoint() {
        String app = createApp("events");
        put(app, Map.of("device-1", batch(PublicEndpoint.builder().channelType("EMAIL").address("a@example.com")
                .attributes(Map.of("plan", List.of("pro"))).user(u -> u.userId("user-1")).build(),
                Map.of("e1", event("app.open").build()))));
        EndpointResponse created = client.getEndpoint(r -> r.applicationId(app).endpointId("device-1"))
                .endpointResponse();
        assertThat(created.channelTypeAsString()).isEqualTo("EMAIL");
        assertThat(created.address()).isEqualTo("a@example.com");
        assertThat(created.attributes()).containsEntry("plan", List.of("pro"));
        assertThat(created.user().userId()).isEqualTo("user-1");

        put(app, Map.of("device-1", batch(PublicEndpoint.builder().attributes(Map.of("team", List.of("red")))
                .build(), Map.of("e2", event("app.open").build()))));
        EndpointResponse updated = client.getEndpoint(r -> r.applicationId(app).endpointId("device-1"))
                .endpointResponse();
        assertThat(updated.address()).as("members omitted are kept").isEqualTo("a@example.com");
        assertThat(updated.attributes()).containsEntry("plan", List.of("pro")).containsEntry("team", List.of("red"));
        assertThat(updated.creationDate()).isEqualTo(created.creationDate());
        assertThat(log().ofEndpoint(app, "device-1", Instant.EPOCH, 10)).hasSize(2);
    }

    @Test
    void aRetriedRequestRecordsNothingTwice() {
        String app = createApp("events");
        Map<String, EventsBatch> items = Map.of("phone", batch(email("r@example.com"),
                Map.of("e1", event("buy").build(), "e2", event("buy").build())));
        Map<String, ItemResponse> first = put(app, items);
        Map<String, ItemResponse> again = put(app, items);
        assertThat(again.get("phone").eventsItemResponse().get("e1").statusCode()).isEqualTo(202);
        assertThat(again).isEqualTo(first);
        assertThat(log().count(app)).isEqualTo(2);
        put(app, Map.of("PHONE", batch(email("r@example.com"), Map.of("e1", event("buy").build()))));
        assertThat(log().count(app)).as("endpoint ids are case-insensitive").isEqualTo(2);
    }

    @Test
    void perEventLimitsEachRefuseTheirEventOnly() {
        String app = createApp("events");
        Map<String, String> fortyOne = new HashMap<>();
        for (int i = 0; i < 41; i++) {
            fortyOne.put("k" + i, "v");
        }
        Map<String, Event> events = new LinkedHashMap<>();
        events.put("keys", event("t").attributes(fortyOne).build());
        events.put("long-key", event("t").attributes(Map.of("k".repeat(51), "v")).build());
        events.put("long-value", event("t").attributes(Map.of("k", "v".repeat(201))).build());
        events.put("long-metric", event("t").metrics(Map.of("m".repeat(51), 1.0)).build());
        events.put("no-type", Event.builder().timestamp(WHEN).build());
        events.put("no-session-id", event("t").session(s -> s.startTimestamp(WHEN)).build());
        events.put("no-session-start", event("t").session(s -> s.id("s")).build());
        events.put("fine", event("t").attributes(Map.of("k".repeat(50), "v".repeat(200))).build());
        Map<String, ItemResponse> results = put(app, Map.of("phone", batch(email("l@example.com"), events)));
        Map<String, String> messages = new HashMap<>();
        results.get("phone").eventsItemResponse().forEach((id, r) -> messages.put(id, r.statusCode() + " " + r.message()));
        assertThat(messages.get("keys")).startsWith("400 ").contains("an event may have at most 40");
        assertThat(messages.get("long-key")).startsWith("400 ").contains("a key may have at most 50");
        assertThat(messages.get("long-value")).startsWith("400 ").contains("an attribute value may have at most 200");
        assertThat(messages.get("long-metric")).startsWith("400 ").contains("Events.long-metric.Metrics");
        assertThat(messages.get("no-type")).isEqualTo("400 Events.no-type.EventType is required");
        assertThat(messages.get("no-session-id")).isEqualTo("400 Events.no-session-id.Session.Id is required");
        assertThat(messages.get("no-session-start"))
                .isEqualTo("400 Events.no-session-start.Session.StartTimestamp is required");
        assertThat(messages.get("fine")).isEqualTo("202 Accepted");
        assertThat(log().count(app)).isEqualTo(1);
    }

    @Test
    void requestLimitsRefuseTheWholeRequest() throws Exception {
        String app = createApp("events");
        Map<String, Event> many = new HashMap<>();
        for (int i = 0; i < 101; i++) {
            many.put("e" + i, event("t").build());
        }
        assertThatThrownBy(() -> put(app, Map.of("phone", batch(email("x@example.com"), many))))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("101 events; a request may have at most 100");
        assertThatThrownBy(() -> client.putEvents(r -> r.applicationId(app).eventsRequest(e -> { })))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("BatchItem is required");
        HttpResponse<String> notJson = SignedHttp.send(waymark.server().url(), "POST", "/v1/apps/" + app + "/events",
                "{not json");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("not valid JSON");
        String huge = "{\"BatchItem\":{\"p\":{\"Endpoint\":{},\"Events\":{\"e\":{\"EventType\":\""
                + "x".repeat(4 * 1024 * 1024) + "\"}}}}}";
        HttpResponse<String> tooLarge = SignedHttp.send(waymark.server().url(), "POST", "/v1/apps/" + app
                + "/events", huge);
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(log().count(app)).isZero();
        assertThatThrownBy(() -> put("0".repeat(32), Map.of("p", batch(email("x@example.com"),
                Map.of("e", event("t").build()))))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void appQuotasOnEventTypesAttributeKeysAndMetricKeys() {
        String app = createApp("events");
        // 1,500 event types in 15 requests of 100; the 1,501st is refused, a known type is still accepted.
        for (int request = 0; request < 15; request++) {
            Map<String, Event> events = new HashMap<>();
            for (int i = 0; i < 100; i++) {
                events.put("e" + i, event("type-" + (request * 100 + i)).build());
            }
            put(app, Map.of("phone-" + request, batch(email("q@example.com"), events)));
        }
        Map<String, ItemResponse> types = put(app, Map.of("phone", batch(email("q@example.com"),
                Map.of("new", event("type-1500").build(), "known", event("type-7").build()))));
        assertThat(types.get("phone").eventsItemResponse().get("new").message())
                .contains("quota of 1500 custom event types");
        assertThat(types.get("phone").eventsItemResponse().get("known").statusCode()).isEqualTo(202);

        // 500 attribute keys: 12 events of 40 new keys (480), then 40 more is refused, then 20 more fits.
        Map<String, Event> events = new LinkedHashMap<>();
        for (int e = 0; e < 13; e++) {
            Map<String, String> attributes = new HashMap<>();
            for (int k = 0; k < 40; k++) {
                attributes.put("a" + (e * 40 + k), "v");
            }
            events.put("attributes-" + e, event("type-1").attributes(attributes).build());
        }
        Map<String, String> twenty = new HashMap<>();
        for (int k = 0; k < 20; k++) {
            twenty.put("b" + k, "v");
        }
        events.put("twenty", event("type-1").attributes(twenty).build());
        events.put("one-more", event("type-1").attributes(Map.of("c", "v")).build());
        Map<String, EventResponseView> outcome = view(put(app, Map.of("phone", batch(email("q@example.com"), events))));
        assertThat(outcome.get("attributes-11").status()).isEqualTo(202);
        assertThat(outcome.get("attributes-12").message()).contains("quota of 500 event attribute keys");
        assertThat(outcome.get("twenty").status()).isEqualTo(202);
        assertThat(outcome.get("one-more").message()).contains("quota of 500 event attribute keys");

        Map<String, Event> metricEvents = new LinkedHashMap<>();
        for (int e = 0; e < 13; e++) {
            Map<String, Double> metrics = new HashMap<>();
            for (int k = 0; k < 40; k++) {
                metrics.put("m" + (e * 40 + k), 1.0);
            }
            metricEvents.put("metrics-" + e, event("type-1").metrics(metrics).build());
        }
        Map<String, EventResponseView> metricOutcome =
                view(put(app, Map.of("phone", batch(email("q@example.com"), metricEvents))));
        assertThat(metricOutcome.get("metrics-11").status()).isEqualTo(202);
        assertThat(metricOutcome.get("metrics-12").message()).contains("quota of 500 event metric keys");
    }

    private record EventResponseView(int status, String message) {}

    private static Map<String, EventResponseView> view(Map<String, ItemResponse> results) {
        Map<String, EventResponseView> view = new HashMap<>();
        results.values().forEach(item -> item.eventsItemResponse().forEach((id, r) ->
                view.put(id, new EventResponseView(r.statusCode(), r.message()))));
        return view;
    }

    @Test
    void aScopedKeyPutsEventsOnlyIntoItsApps() {
        String mine = createApp("mine");
        String theirs = createApp("theirs");
        AccessKey key = AccessKey.generate(false, Set.of(mine), false, Instant.now());
        waymark.server().store().accessKeys().insert(key);
        PinpointClient scoped = WaymarkTestServer.clientFor(waymark.server().url(), key.id(), key.secret());
        Map<String, EventsBatch> items = Map.of("p", batch(email("s@example.com"), Map.of("e", event("t").build())));
        assertThat(put(scoped, mine, items).get("p").eventsItemResponse().get("e").statusCode()).isEqualTo(202);
        assertThatThrownBy(() -> put(scoped, theirs, items)).isInstanceOf(ForbiddenException.class)
                .hasMessageContaining("may not use the application '" + theirs + "'");
        assertThat(log().count(theirs)).isZero();
        assertThat(log().count(mine)).isEqualTo(1);
    }

    @Test
    void concurrentRequestsNeverTakeAnAppPastAQuota() throws Exception {
        String app = createApp("events");
        for (int request = 0; request < 15; request++) {
            Map<String, Event> events = new HashMap<>();
            for (int i = 0; i < (request < 14 ? 100 : 50); i++) {
                events.put("e" + i, event("type-" + (request * 100 + i)).build());
            }
            put(app, Map.of("phone", batch(email("c@example.com"), events)));
        }
        // 1,450 types known; ten requests at once bring ten new types each: exactly 50 fit.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(10);
        try {
            List<java.util.concurrent.Future<Map<String, ItemResponse>>> futures = new java.util.ArrayList<>();
            for (int t = 0; t < 10; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    Map<String, Event> events = new HashMap<>();
                    for (int i = 0; i < 10; i++) {
                        events.put("c" + thread + "-" + i, event("new-" + thread + "-" + i).build());
                    }
                    return put(app, Map.of("device-" + thread, batch(email("c" + thread + "@example.com"), events)));
                }));
            }
            long accepted = 0;
            for (java.util.concurrent.Future<Map<String, ItemResponse>> future : futures) {
                accepted += future.get().values().stream().flatMap(item -> item.eventsItemResponse().values().stream())
                        .filter(r -> r.statusCode() == 202).count();
            }
            assertThat(accepted).isEqualTo(50);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void deletingEndpointsDeletesTheirEvents() {
        String app = createApp("events");
        PublicEndpoint ofUser = PublicEndpoint.builder().channelType("EMAIL").address("u@example.com")
                .user(u -> u.userId("user-1")).build();
        put(app, Map.of("p1", batch(ofUser, Map.of("e", event("t").build())),
                "p2", batch(ofUser, Map.of("e", event("t").build())),
                "P3", batch(email("p3@example.com"), Map.of("e", event("t").build(), "f", event("t").build()))));
        assertThat(log().count(app)).isEqualTo(4);
        client.deleteEndpoint(r -> r.applicationId(app).endpointId("p3"));
        assertThat(log().ofEndpoint(app, "P3", Instant.EPOCH, 10)).isEmpty();
        assertThat(log().count(app)).isEqualTo(2);
        client.deleteUserEndpoints(r -> r.applicationId(app).userId("user-1"));
        assertThat(log().count(app)).isZero();
    }

    @Test
    void deletingTheAppDeletesItsEvents() {
        String app = createApp("events");
        put(app, Map.of("p", batch(email("d@example.com"), Map.of("e", event("t").build()))));
        assertThat(log().count(app)).isEqualTo(1);
        client.deleteApp(r -> r.applicationId(app));
        assertThat(log().count(app)).isZero();
        assertThat(log().deleteOfEndpoints(app, List.of("p"))).isZero();
    }
}
