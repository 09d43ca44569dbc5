package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.waymark.cli.WaymarkCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.pinpoint.PinpointClient;
import software.amazon.awssdk.services.pinpoint.model.BadRequestException;
import software.amazon.awssdk.services.pinpoint.model.ChannelType;
import software.amazon.awssdk.services.pinpoint.model.EndpointBatchItem;
import software.amazon.awssdk.services.pinpoint.model.EndpointRequest;
import software.amazon.awssdk.services.pinpoint.model.EndpointResponse;
import software.amazon.awssdk.services.pinpoint.model.ForbiddenException;
import software.amazon.awssdk.services.pinpoint.model.MessageBody;
import software.amazon.awssdk.services.pinpoint.model.NotFoundException;

/** The endpoint and user operations through the Java SDK: update semantics, users, limits, deletion, scoped keys. */
class EndpointsEndToEndTest extends EndToEndTest {
    private static final Pattern EXPORT_LINE =
            Pattern.compile("\\s*export AWS_ACCESS_KEY_ID=(\\S+) AWS_SECRET_ACCESS_KEY=(\\S+)\\s*");

    /** GetEndpoint writes its answer straight from the row; it must say exactly what the stored endpoint is. */
    @Test
    void getEndpointAnswersTheStoredEndpointMemberForMember() throws Exception {
        String app = createApp("encoded");
        client.updateEndpoint(r -> r.applicationId(app).endpointId("Rich-1").endpointRequest(e -> e
                .channelType(ChannelType.EMAIL).address("rich@example.com").optOut("NONE").requestId("req-1")
                .effectiveDate("2026-11-01T10:00:00Z")
                .attributes(Map.of("Plan", List.of("pro", "team"), "Empty", List.of()))
                .metrics(Map.of("visits", 3.5, "score", -2.0))
                .demographic(d -> d.timezone("Europe/Paris").locale("fr_FR").platform("ios"))
                .location(l -> l.country("FR").city("Paris").latitude(48.9).longitude(2.4).postalCode("75001"))
                .user(u -> u.userId("user-1").userAttributes(Map.of("FirstName", List.of("Ada"))))));
        client.updateEndpoint(r -> r.applicationId(app).endpointId("bare").endpointRequest(e -> e
                .channelType(ChannelType.SMS)));
        for (String id : List.of("rich-1", "bare")) {
            var store = waymark.server().store().endpoints();
            assertThat(dev.waymark.wire.Json.MAPPER.readTree(store.findEncoded(app, id).orElseThrow()))
                    .isEqualTo(store.find(app, id).orElseThrow());
        }
        EndpointResponse read = client.getEndpoint(r -> r.applicationId(app).endpointId("RICH-1")).endpointResponse();
        assertThat(read.id()).isEqualTo("Rich-1");
        assertThat(read.metrics()).containsEntry("visits", 3.5);
        assertThat(read.user().userAttributes()).containsEntry("FirstName", List.of("Ada"));
        assertThat(read.location().latitude()).isEqualTo(48.9);
        assertThatThrownBy(() -> client.getEndpoint(r -> r.applicationId(app).endpointId("none")))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("none");
        assertThatThrownBy(() -> client.getEndpoint(r -> r.applicationId("0".repeat(32)).endpointId("bare")))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("Application");
    }

    @Test
    void updateGetAndMergeAsPinpoint() {
        String app = createApp("audience");
        MessageBody accepted = client.updateEndpoint(r -> r.applicationId(app).endpointId("Ep-1")
                .endpointRequest(e -> e.channelType(ChannelType.EMAIL).address("a@example.com")
                        .attributes(Map.of("color", List.of("red", "blue"), "size", List.of("L")))
                        .metrics(Map.of("visits", 3.0))
                        .demographic(d -> d.timezone("America/Los_Angeles").platform("ios"))
                        .location(l -> l.country("US").latitude(47.6).longitude(-122.3))
                        .optOut("NONE")))
                .messageBody();
        assertThat(accepted.message()).isEqualTo("Accepted");
        assertThat(accepted.requestID()).isNotBlank();

        EndpointResponse first = get(app, "ep-1");
        assertThat(first.id()).isEqualTo("Ep-1");
        assertThat(first.applicationId()).isEqualTo(app);
        assertThat(first.endpointStatus()).isEqualTo("ACTIVE");
        assertThat(Integer.parseInt(first.cohortId())).isBetween(0, 99);
        assertThat(first.creationDate()).isNotBlank();
        assertThat(first.effectiveDate()).isNotBlank();
        assertThat(first.demographic().timezone()).isEqualTo("America/Los_Angeles");
        assertThat(first.location().latitude()).isEqualTo(47.6);

        // Members sent replace, members omitted are kept, an attribute key sent replaces its whole list.
        client.updateEndpoint(r -> r.applicationId(app).endpointId("EP-1").endpointRequest(e -> e
                .attributes(Map.of("color", List.of("green"))).effectiveDate("2026-01-02T03:04:05Z")
                .demographic(d -> d.locale("en_US"))));
        EndpointResponse second = get(app, "EP-1");
        assertThat(second.id()).isEqualTo("Ep-1");
        assertThat(second.attributes()).containsEntry("color", List.of("green")).containsEntry("size", List.of("L"));
        assertThat(second.metrics()).containsEntry("visits", 3.0);
        assertThat(second.address()).isEqualTo("a@example.com");
        assertThat(second.channelType()).isEqualTo(ChannelType.EMAIL);
        assertThat(second.demographic().timezone()).isEqualTo("America/Los_Angeles");
        assertThat(second.demographic().locale()).isEqualTo("en_US");
        assertThat(second.cohortId()).isEqualTo(first.cohortId());
        assertThat(second.creationDate()).isEqualTo(first.creationDate());
        assertThat(second.effectiveDate()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(second.optOut()).isEqualTo("NONE");
    }

    @Test
    void anotherEndpointWithTheSameAddressBecomesInactive() {
        String app = createApp("addresses");
        client.updateEndpoint(r -> r.applicationId(app).endpointId("old").endpointRequest(e -> e
                .channelType(ChannelType.SMS).address("+12065550100")));
        client.updateEndpoint(r -> r.applicationId(app).endpointId("new").endpointRequest(e -> e
                .channelType(ChannelType.SMS).address("+12065550100")));
        assertThat(get(app, "old").endpointStatus()).isEqualTo("INACTIVE");
        assertThat(get(app, "new").endpointStatus()).isEqualTo("ACTIVE");
        // Updated again, the old one is ACTIVE and the other INACTIVE.
        client.updateEndpoint(r -> r.applicationId(app).endpointId("old").endpointRequest(e -> e
                .address("+12065550100")));
        assertThat(get(app, "old").endpointStatus()).isEqualTo("ACTIVE");
        assertThat(get(app, "new").endpointStatus()).isEqualTo("INACTIVE");
    }

    @Test
    void batchAppliesAllOrRefusesAllNamingTheItem() {
        String app = createApp("batch");
        List<EndpointBatchItem> items = IntStream.range(0, 100).mapToObj(i -> EndpointBatchItem.builder()
                .id("e" + i).channelType(ChannelType.EMAIL).address("u" + i + "@example.com")
                .attributes(Map.of("n", List.of(Integer.toString(i)))).build()).toList();
        assertThat(client.updateEndpointsBatch(r -> r.applicationId(app).endpointBatchRequest(b -> b.item(items)))
                .messageBody().message()).isEqualTo("Accepted");
        assertThat(get(app, "E42").attributes()).containsEntry("n", List.of("42"));
        assertThat(waymark.server().store().endpoints().count(app)).isEqualTo(100);

        List<EndpointBatchItem> tooMany = new ArrayList<>(items);
        tooMany.add(EndpointBatchItem.builder().id("e100").build());
        assertBadRequest(() -> client.updateEndpointsBatch(r -> r.applicationId(app)
                .endpointBatchRequest(b -> b.item(tooMany))), "the limit is 100 items");

        List<EndpointBatchItem> oneBad = List.of(
                EndpointBatchItem.builder().id("fine").attributes(Map.of("n", List.of("x"))).build(),
                EndpointBatchItem.builder().id("bad").optOut("SOMETIMES").build());
        assertBadRequest(() -> client.updateEndpointsBatch(r -> r.applicationId(app)
                .endpointBatchRequest(b -> b.item(oneBad))), "Item[1] (Id 'bad'): OptOut must be one of");
        assertThat(waymark.server().store().endpoints().find(app, "fine")).isEmpty();
    }

    @Test
    void itemsOfOneBatchApplyInOrder() {
        String app = createApp("order");
        client.updateEndpointsBatch(r -> r.applicationId(app).endpointBatchRequest(b -> b.item(
                EndpointBatchItem.builder().id("first").channelType(ChannelType.SMS).address("+1").build(),
                EndpointBatchItem.builder().id("second").channelType(ChannelType.SMS).address("+1")
                        .attributes(Map.of("a", List.of("1"), "b", List.of("2"))).build(),
                EndpointBatchItem.builder().id("SECOND").attributes(Map.of("a", List.of("3"))).build())));
        assertThat(get(app, "first").endpointStatus()).isEqualTo("INACTIVE");
        EndpointResponse second = get(app, "second");
        assertThat(second.endpointStatus()).isEqualTo("ACTIVE");
        assertThat(second.attributes()).containsEntry("a", List.of("3")).containsEntry("b", List.of("2"));
        assertThat(waymark.server().store().endpoints().count(app)).isEqualTo(2);
    }

    @Test
    void everyLimitIsRefusedNamingIt() {
        String app = createApp("limits");
        assertBadRequest(() -> update(app, "a$b", e -> { }), "must not contain '$', '{' or '}'");
        assertBadRequest(() -> update(app, "x".repeat(129), e -> { }), "the limit is 128");
        assertBadRequest(() -> update(app, "e", e -> e.attributes(Map.of("n".repeat(51), List.of("v")))),
                "the limit is 50");
        assertBadRequest(() -> update(app, "e", e -> e.attributes(Map.of("n", List.of("v".repeat(101))))),
                "the limit is 100 characters per attribute value");
        assertBadRequest(() -> update(app, "e", e -> e.attributes(Map.of("n",
                IntStream.range(0, 51).mapToObj(Integer::toString).toList()))), "the limit is 50 values per attribute");
        assertBadRequest(() -> update(app, "e", e -> e.user(u -> u.userAttributes(Map.of("n".repeat(51),
                List.of("v"))))), "User.UserAttributes name");
        assertBadRequest(() -> update(app, "e", e -> e.metrics(Map.of("m".repeat(51), 1.0))), "Metrics name");
        assertBadRequest(() -> update(app, "e", e -> e.endpointStatus("PAUSED")), "EndpointStatus must be one of");
        assertBadRequest(() -> update(app, "e", e -> e.optOut("SOME")), "OptOut must be one of");
        assertBadRequest(() -> update(app, "e", e -> e.effectiveDate("yesterday")), "EffectiveDate must be an ISO 8601");
        assertBadRequest(() -> update(app, "e", e -> e.location(l -> l.latitude(91.0))), "Location.Latitude");
        assertBadRequest(() -> update(app, "e", e -> e.location(l -> l.longitude(-181.0))), "Location.Longitude");
        assertBadRequest(() -> update(app, "e", e -> e.demographic(d -> d.timezone("Mars/Olympus"))),
                "Demographic.Timezone");
        assertBadRequest(() -> update(app, "e", e -> e.channelType("PIGEON")), "ChannelType");
        // 15 KB: 40 attributes of 50 values of 10 characters is about 22 KB.
        Map<String, List<String>> big = new HashMap<>();
        IntStream.range(0, 40).forEach(i -> big.put("a" + i, IntStream.range(0, 50).mapToObj(v -> "0123456789")
                .toList()));
        assertBadRequest(() -> update(app, "e", e -> e.attributes(big)), "15 KB");
        // 250 names per app across Attributes, Metrics and UserAttributes.
        Map<String, List<String>> names = new HashMap<>();
        IntStream.range(0, 200).forEach(i -> names.put("attr" + i, List.of("v")));
        Map<String, Double> metrics = new HashMap<>();
        IntStream.range(0, 50).forEach(i -> metrics.put("metric" + i, 1.0));
        update(app, "full", e -> e.attributes(names).metrics(metrics));
        assertBadRequest(() -> update(app, "other", e -> e.user(u -> u.userAttributes(Map.of("one", List.of("more"))))),
                "the limit is 250 per app");
        update(app, "other", e -> e.attributes(Map.of("attr7", List.of("known names are fine"))));
        assertThat(waymark.server().store().endpoints().find(app, "e")).isEmpty();
    }

    @Test
    void userAttributesAreSharedByEveryEndpointOfTheUser() {
        String app = createApp("users");
        update(app, "phone", e -> e.channelType(ChannelType.SMS).address("+1").user(u -> u.userId("alice")
                .userAttributes(Map.of("name", List.of("Alice")))));
        update(app, "mail", e -> e.channelType(ChannelType.EMAIL).address("a@x").user(u -> u.userId("alice")));
        assertThat(get(app, "mail").user().userAttributes()).containsEntry("name", List.of("Alice"));
        update(app, "mail", e -> e.user(u -> u.userAttributes(Map.of("plan", List.of("gold")))));
        assertThat(get(app, "phone").user().userAttributes())
                .containsEntry("name", List.of("Alice")).containsEntry("plan", List.of("gold"));
        assertThat(client.getUserEndpoints(r -> r.applicationId(app).userId("alice")).endpointsResponse().item())
                .extracting(EndpointResponse::id).containsExactly("mail", "phone");
        assertThat(client.deleteUserEndpoints(r -> r.applicationId(app).userId("alice")).endpointsResponse().item())
                .extracting(EndpointResponse::id).containsExactly("mail", "phone");
        assertThatThrownBy(() -> client.getUserEndpoints(r -> r.applicationId(app).userId("alice")))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("User 'alice'");
        assertThatThrownBy(() -> get(app, "phone")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aSixteenthEndpointOfAUser() {
        String app = createApp("sixteen");
        for (int i = 0; i < 14; i++) {
            int n = i;
            update(app, "sms" + i, e -> e.channelType(ChannelType.SMS).address("+1" + n).user(u -> u.userId("bob")));
        }
        update(app, "push-old", e -> e.channelType(ChannelType.GCM).address("t1").effectiveDate("2020-01-01T00:00:00Z")
                .user(u -> u.userId("bob")));
        assertBadRequest(() -> update(app, "mail", e -> e.channelType(ChannelType.EMAIL).address("b@x")
                .user(u -> u.userId("bob"))), "the limit is 15 endpoints per user");
        assertThatThrownBy(() -> get(app, "mail")).isInstanceOf(NotFoundException.class);
        // A push endpoint pushes out the user's oldest push endpoint.
        update(app, "push-new", e -> e.channelType(ChannelType.APNS).address("t2").user(u -> u.userId("bob")));
        EndpointResponse pushedOut = get(app, "push-old");
        assertThat(pushedOut.endpointStatus()).isEqualTo("INACTIVE");
        assertThat(pushedOut.user()).isNull();
        assertThat(client.getUserEndpoints(r -> r.applicationId(app).userId("bob")).endpointsResponse().item())
                .hasSize(15).extracting(EndpointResponse::id).contains("push-new").doesNotContain("push-old");
    }

    @Test
    void deleteEndpointRemoveAttributesAndNotFound() {
        String app = createApp("deletes");
        update(app, "Gone", e -> e.attributes(Map.of("color", List.of("red"), "colour", List.of("rouge"),
                "size", List.of("L"))));
        EndpointResponse deleted = client.deleteEndpoint(r -> r.applicationId(app).endpointId("gone"))
                .endpointResponse();
        assertThat(deleted.id()).isEqualTo("Gone");
        assertThat(deleted.attributes()).containsKey("color");
        assertThatThrownBy(() -> get(app, "gone")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("Endpoint 'gone' not found");
        assertThatThrownBy(() -> client.deleteEndpoint(r -> r.applicationId(app).endpointId("gone")))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> get("no-such-app", "x")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("Application 'no-such-app' not found");

        update(app, "kept", e -> e.attributes(Map.of("color", List.of("red"), "size", List.of("L"))));
        var removed = client.removeAttributes(r -> r.applicationId(app).attributeType("endpoint-custom-attributes")
                .updateAttributesRequest(u -> u.blacklist("colo*"))).attributesResource();
        assertThat(removed.applicationId()).isEqualTo(app);
        assertThat(removed.attributeType()).isEqualTo("endpoint-custom-attributes");
        assertThat(removed.attributes()).containsExactly("color", "colour");
        // Stored values are kept; new values for those names are no longer captured.
        update(app, "kept", e -> e.attributes(Map.of("color", List.of("blue"), "size", List.of("M"))));
        assertThat(get(app, "kept").attributes()).containsEntry("color", List.of("red"))
                .containsEntry("size", List.of("M"));
        client.removeAttributes(r -> r.applicationId(app).attributeType("endpoint-user-attributes")
                .updateAttributesRequest(u -> u.blacklist("ssn")));
        update(app, "kept", e -> e.user(u -> u.userId("carol").userAttributes(Map.of("ssn", List.of("123"),
                "name", List.of("Carol")))));
        assertThat(get(app, "kept").user().userAttributes()).containsOnlyKeys("name");
        assertBadRequest(() -> client.removeAttributes(r -> r.applicationId(app).attributeType("endpoint-everything")
                .updateAttributesRequest(u -> u.blacklist("x"))), "attribute-type must be one of");
    }

    @Test
    void deleteAppRemovesItsEndpoints() {
        String app = createApp("doomed");
        update(app, "e", e -> e.attributes(Map.of("a", List.of("b"))));
        client.deleteApp(r -> r.applicationId(app));
        assertThat(waymark.server().store().endpoints().count(app)).isZero();
    }

    @Test
    void scopedKeysSeeOnlyTheirAppsEndpoints() {
        String mine = createApp("mine");
        String theirs = createApp("theirs");
        update(theirs, "secret", e -> e.address("x@y"));
        PinpointClient scoped = scopedClient(mine);
        scoped.updateEndpoint(r -> r.applicationId(mine).endpointId("e").endpointRequest(e -> e.address("m@y")));
        assertThat(scoped.getEndpoint(r -> r.applicationId(mine).endpointId("e")).endpointResponse().address())
                .isEqualTo("m@y");
        assertThatThrownBy(() -> scoped.getEndpoint(r -> r.applicationId(theirs).endpointId("secret")))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> scoped.updateEndpoint(r -> r.applicationId(theirs).endpointId("secret")
                .endpointRequest(e -> e.address("z")))).isInstanceOf(ForbiddenException.class);
        assertThat(get(theirs, "secret").address()).isEqualTo("x@y");
    }

    private EndpointResponse get(String app, String id) {
        return client.getEndpoint(r -> r.applicationId(app).endpointId(id)).endpointResponse();
    }

    private void update(String app, String id, Consumer<EndpointRequest.Builder> request) {
        client.updateEndpoint(r -> r.applicationId(app).endpointId(id).endpointRequest(request));
    }

    private static void assertBadRequest(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOf(BadRequestException.class).hasMessageContaining(message);
    }

    private PinpointClient scopedClient(String app) {
        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            assertThat(WaymarkCommand.commandLine().execute("keys", "create", "--apps", app, "--db-url",
                    waymark.jdbcUrl())).isZero();
        } finally {
            System.setOut(original);
        }
        for (String line : printed.toString(StandardCharsets.UTF_8).split("\n")) {
            Matcher export = EXPORT_LINE.matcher(line);
            if (export.matches()) {
                return PinpointClient.builder().endpointOverride(waymark.endpoint()).region(Region.US_EAST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(export.group(1), export.group(2))))
                        .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1))).build();
            }
        }
        throw new AssertionError("no key printed: " + printed);
    }
}
