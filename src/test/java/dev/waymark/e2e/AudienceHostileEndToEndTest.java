package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.pinpoint.model.BadRequestException;
import software.amazon.awssdk.services.pinpoint.model.ChannelType;
import software.amazon.awssdk.services.pinpoint.model.EndpointResponse;

/**
 * A hostile client against the audience operations: input that must be a 400 naming the member or limit (never a
 * 500), limits that must bound what a client can make the server store or compute, and update semantics.
 */
class AudienceHostileEndToEndTest extends EndToEndTest {

    @Test
    void anEffectiveDateBeyondEpochMillisIsABadRequestNotA500() throws Exception {
        String app = createApp("hostile");
        for (String date : List.of("+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z")) {
            HttpResponse<String> response = put(app, "ep", "{\"EffectiveDate\":\"" + date + "\"}");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(response.body()).contains("EffectiveDate");
            // The same endpoint carried by PutEvents is refused alone, not the whole request with a 500.
            HttpResponse<String> events = send("POST", "/v1/apps/" + app + "/events", "{\"BatchItem\":{\"ep\":{"
                    + "\"Endpoint\":{\"EffectiveDate\":\"" + date + "\"},\"Events\":{\"e1\":{\"EventType\":\"t\","
                    + "\"Timestamp\":\"2026-01-01T00:00:00Z\"}}}}}");
            assertThat(events.statusCode()).as(events.body()).isEqualTo(202);
            assertThat(events.body()).contains("EffectiveDate");
        }
    }

    @Test
    void aMetricThatOverflowsADoubleIsRefusedByName() throws Exception {
        String app = createApp("hostile");
        for (String number : List.of("1e400", "-1e400", "1" + "0".repeat(400))) {
            HttpResponse<String> response = put(app, "ep", "{\"Metrics\":{\"visits\":" + number + "}}");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(response.body()).contains("Metrics.visits");
        }
        HttpResponse<String> latitude = put(app, "ep", "{\"Location\":{\"Latitude\":1e400}}");
        assertThat(latitude.statusCode()).as(latitude.body()).isEqualTo(400);
        assertThat(latitude.body()).contains("Location.Latitude");
    }

    @Test
    void wrongTypesNullsAndStringNumbersAreBadRequests() throws Exception {
        String app = createApp("hostile");
        for (String body : List.of("{\"Attributes\":{\"a\":[\"x\",null]}}", "{\"Attributes\":{\"a\":\"x\"}}",
                "{\"Attributes\":[]}", "{\"Metrics\":{\"m\":\"5\"}}", "{\"Location\":{\"Latitude\":\"45\"}}",
                "{\"Location\":{\"Latitude\":91}}", "{\"Location\":{\"Longitude\":-180.5}}",
                "{\"User\":\"u\"}", "{\"User\":{\"UserId\":5}}", "{\"User\":{\"UserId\":\"\"}}",
                "{\"Demographic\":{\"Timezone\":\"Mars/Olympus\"}}", "{\"EffectiveDate\":\"yesterday\"}",
                "{\"EffectiveDate\":5}", "{\"ChannelType\":\"FAX\"}", "{\"EndpointStatus\":\"DELETED\"}",
                "{\"OptOut\":true}", "[]", "\"x\"", "{\"Attributes\":{\"" + "n".repeat(51) + "\":[\"x\"]}}",
                "{\"Attributes\":{\"\":[\"x\"]}}", "{\"Metrics\":{\"\":1}}")) {
            HttpResponse<String> response = put(app, "ep", body);
            assertThat(response.statusCode()).as(body + " -> " + response.body()).isEqualTo(400);
        }
        // Nulls where a member may be absent are read as absent, not as a server error.
        HttpResponse<String> nulls = put(app, "ep", "{\"User\":null,\"Attributes\":null,\"Location\":null,"
                + "\"Metrics\":null,\"Demographic\":null,\"EffectiveDate\":null}");
        assertThat(nulls.statusCode()).as(nulls.body()).isIn(202, 400);
    }

    @Test
    void idsWithSlashesUnicodeAndDollarsAreHandledOnTheWire() {
        String app = createApp("hostile");
        for (String id : List.of("a/b", "é-ñ-東京", "a b", "a%2Fb", "a+b", "x?y=1")) {
            client.updateEndpoint(r -> r.applicationId(app).endpointId(id)
                    .endpointRequest(e -> e.channelType(ChannelType.CUSTOM).address("addr-" + id)));
            EndpointResponse got = client.getEndpoint(r -> r.applicationId(app).endpointId(id)).endpointResponse();
            assertThat(got.id()).isEqualTo(id);
        }
        for (String id : List.of("a$b", "{x}", "x".repeat(129))) {
            assertThatThrownBy(() -> client.updateEndpoint(r -> r.applicationId(app).endpointId(id)
                    .endpointRequest(e -> e.address("a")))).isInstanceOf(BadRequestException.class)
                    .hasMessageContaining("endpoint Id");
        }
    }

    @Test
    void aBacktrackingGlobInRemoveAttributesDoesNotHangWrites() throws Exception {
        String app = createApp("hostile");
        // 30 stars between 'a's: a regex translation backtracks through ~C(50,30) ways before giving up.
        String glob = "*a".repeat(30) + "*b";
        client.removeAttributes(r -> r.applicationId(app).attributeType("endpoint-custom-attributes")
                .updateAttributesRequest(u -> u.blacklist(glob)));
        long start = System.nanoTime();
        client.updateEndpoint(r -> r.applicationId(app).endpointId("ep")
                .endpointRequest(e -> e.attributes(Map.of("a".repeat(50), List.of("x")))));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(client.getEndpoint(r -> r.applicationId(app).endpointId("ep")).endpointResponse().attributes())
                .containsKey("a".repeat(50));
        // The glob still works as a glob.
        client.updateEndpoint(r -> r.applicationId(app).endpointId("ep2")
                .endpointRequest(e -> e.attributes(Map.of("a".repeat(31) + "b", List.of("x"), "ab", List.of("y")))));
        assertThat(client.getEndpoint(r -> r.applicationId(app).endpointId("ep2")).endpointResponse().attributes())
                .containsOnlyKeys("ab");
    }

    @Test
    void theBlacklistOfAnAppIsBounded() {
        String app = createApp("hostile");
        BadRequestException refused = null;
        for (int round = 0; round < 30 && refused == null; round++) {
            int r0 = round;
            List<String> patterns = IntStream.range(0, 100).mapToObj(i -> "p" + r0 + "-" + i + "*").toList();
            try {
                client.removeAttributes(r -> r.applicationId(app).attributeType("endpoint-custom-attributes")
                        .updateAttributesRequest(u -> u.blacklist(patterns)));
            } catch (BadRequestException e) {
                refused = e;
            }
        }
        assertThat(refused).as("3,000 blacklist entries accepted for one app").isNotNull();
        assertThat(refused.getMessage()).contains("Blacklist").contains("per app");
    }

    @Test
    void anItemMadeInactiveByALaterItemsAddressStaysActiveWhenUpdatedAgain() {
        String app = createApp("hostile");
        client.updateEndpointsBatch(r -> r.applicationId(app).endpointBatchRequest(b -> b.item(
                i -> i.id("e1").channelType(ChannelType.EMAIL).address("same@example.com"),
                i -> i.id("e2").channelType(ChannelType.EMAIL).address("same@example.com"),
                // Applied in order, as separate updates would be: e1 becomes ACTIVE again (the update of e1).
                i -> i.id("e1").attributes(Map.of("k", List.of("v"))))));
        assertThat(status(app, "e2")).isEqualTo("ACTIVE");
        assertThat(status(app, "e1")).as("e1 updated last, after e2 took its address").isEqualTo("ACTIVE");
    }

    @Test
    void anAttributeMapBeyondTheAppLimitIsRefusedNamingIt() throws Exception {
        String app = createApp("hostile");
        String attributes = IntStream.range(0, 5000).mapToObj(i -> "\"a" + i + "\":[\"v\"]")
                .collect(Collectors.joining(",", "{", "}"));
        HttpResponse<String> response = put(app, "ep", "{\"Attributes\":" + attributes + "}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("250");
        String values = IntStream.range(0, 51).mapToObj(i -> "\"v\"").collect(Collectors.joining(",", "[", "]"));
        HttpResponse<String> tooMany = put(app, "ep", "{\"User\":{\"UserAttributes\":{\"a\":" + values + "}}}");
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(tooMany.body()).contains("User.UserAttributes.a").contains("50 values");
    }

    @Test
    void putEventsWithManyEndpointsAndEventsIsBounded() throws Exception {
        String app = createApp("hostile");
        String events = IntStream.range(0, 101).mapToObj(i -> "\"e" + i + "\":{\"EventType\":\"t\","
                + "\"Timestamp\":\"2026-01-01T00:00:00Z\"}").collect(Collectors.joining(",", "{", "}"));
        HttpResponse<String> response = send("POST", "/v1/apps/" + app + "/events",
                "{\"BatchItem\":{\"ep\":{\"Endpoint\":{},\"Events\":" + events + "}}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("100");
        HttpResponse<String> nan = send("POST", "/v1/apps/" + app + "/events", "{\"BatchItem\":{\"ep\":{"
                + "\"Endpoint\":{\"Metrics\":{\"m\":1e999}},\"Events\":{\"e\":{\"EventType\":\"t\","
                + "\"Timestamp\":\"2026-01-01T00:00:00Z\",\"Metrics\":{\"x\":1e999}}}}}}");
        assertThat(nan.statusCode()).as(nan.body()).isEqualTo(202);
        assertThat(nan.body()).contains("\"StatusCode\":400").doesNotContain("\"StatusCode\":202");
    }

    private String status(String app, String id) {
        return client.getEndpoint(r -> r.applicationId(app).endpointId(id)).endpointResponse().endpointStatus();
    }

    private HttpResponse<String> put(String app, String endpointId, String body) throws Exception {
        return send("PUT", "/v1/apps/" + app + "/endpoints/" + endpointId, body);
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return SignedHttp.send(waymark.server().url(), method, path, body);
    }
}
