package dev.waymark.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.apps.App;
import dev.waymark.audience.EventRecord;
import dev.waymark.messaging.render.HandlebarsRenderer;
import dev.waymark.store.sql.SqlStore;
import dev.waymark.wire.Json;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journey's messages built over a real SQLite store, with real templates, channels, tags and the Handlebars
 * renderer: each kind, the engine.md E2 refusals, versions, tracking, and the CUSTOM payload.
 */
class JourneyMessageBuilderTest {
    private static final String APP = "app1";
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Origin ORIGIN = Origin.journey("journey-1", "run-1", "activity-1");
    private static final Optional<NewMessage.Rate> RATE = Optional.of(new NewMessage.Rate("journey:journey-1", 50));
    @TempDir
    Path dir;
    private SqlStore store;
    private JourneyMessageBuilder builder;

    @BeforeEach
    void open() throws Exception {
        store = SqlStore.open("jdbc:sqlite:" + dir.resolve("waymark.db"));
        store.apps().insert(new App(APP, "journeys", Instant.EPOCH), Map.of());
        EmailTracking tracking = new EmailTracking(Optional.of(URI.create("https://track.example/")), true,
                new TrackingToken(new byte[32]));
        builder = new JourneyMessageBuilder(store.templates(), store.channels(),
                new HandlebarsRenderer(Clock.fixed(NOW, ZoneOffset.UTC)), tracking, store.tags()::get);
        channel(ChannelKind.EMAIL, true, "{\"FromAddress\": \"channel@example.com\"}");
    }

    @AfterEach
    void close() throws Exception {
        store.close();
    }

    private void channel(ChannelKind kind, boolean enabled, String settings) {
        store.channels().update(APP, new ChannelUpdate(kind, Optional.of(enabled), json(settings), new TreeSet<>()),
                NOW, Optional.empty());
    }

    private void template(TemplateType type, String name, String definition, Map<String, String> tags) {
        assertThat(store.templates().create(new StoredTemplate(type, name, 1, json(definition), NOW, NOW), tags))
                .isTrue();
    }

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static ObjectNode endpoint(String id, String channelType, String address) {
        ObjectNode endpoint = json("{\"ApplicationId\": \"" + APP + "\", \"EndpointStatus\": \"ACTIVE\", "
                + "\"OptOut\": \"NONE\", \"User\": {\"UserId\": \"u1\", \"UserAttributes\": {\"FirstName\": [\"Ann\"]}}}");
        endpoint.put("Id", id).put("ChannelType", channelType).put("Address", address);
        return endpoint;
    }

    private static JourneyMessages.Request request(String kind, Optional<String> template, Optional<String> version,
                                                   String config, ObjectNode endpoint) {
        return new JourneyMessages.Request(APP, kind, template, version, json(config), Optional.empty(), List.of(),
                endpoint, "msg-1", "key-1", ORIGIN, RATE);
    }

    private static JourneyMessages.Request custom(Optional<String> deliveryUri, List<String> endpointTypes,
                                                  String config, ObjectNode endpoint) {
        return new JourneyMessages.Request(APP, "CUSTOM", Optional.of("no-such-template"), Optional.empty(),
                json(config), deliveryUri, endpointTypes, endpoint, "msg-1", "key-1", ORIGIN, RATE);
    }

    private NewMessage ready(JourneyMessages.Request request) {
        JourneyMessages.Prepared prepared = builder.prepare(request);
        assertThat(prepared).isInstanceOf(JourneyMessages.Ready.class);
        return ((JourneyMessages.Ready) prepared).message();
    }

    private JourneyMessages.Refused refused(JourneyMessages.Request request) {
        JourneyMessages.Prepared prepared = builder.prepare(request);
        assertThat(prepared).isInstanceOf(JourneyMessages.Refused.class);
        return (JourneyMessages.Refused) prepared;
    }

    private static final String WELCOME = "{\"Subject\": \"Hi {{User.UserAttributes.FirstName}}\", \"HtmlPart\": "
            + "\"<html><body><a href='https://shop.example/x'>Shop</a> <a href='{{unsubscribeUrl}}'>Leave</a>"
            + "</body></html>\", \"TextPart\": \"Leave: {{unsubscribeUrl}}\"}";

    @Test
    void anEmailIsRenderedFromTheActiveTemplateTrackedAndAddressed() {
        template(TemplateType.EMAIL, "welcome", WELCOME, Map.of());
        NewMessage message = ready(request("EMAIL", Optional.of("welcome"), Optional.empty(), "{}",
                endpoint("e1", "EMAIL", "ann@example.com")));

        assertThat(message.id()).isEqualTo("msg-1");
        assertThat(message.idempotencyKey()).isEqualTo("key-1");
        assertThat(message.channel()).isEqualTo(Channel.EMAIL);
        assertThat(message.destination()).isEqualTo("ann@example.com");
        assertThat(message.endpointId()).contains("e1");
        assertThat(message.origin()).isEqualTo(ORIGIN);
        assertThat(message.rate()).isEqualTo(RATE);
        ObjectNode content = message.content();
        assertThat(content.path("Subject").asText()).isEqualTo("Hi Ann");
        assertThat(content.path("FromAddress").asText()).isEqualTo("channel@example.com");
        assertThat(content.path("TextPart").asText()).startsWith("Leave: https://track.example/t/u/");
        String html = content.path("HtmlPart").asText();
        assertThat(html).as("links rewritten, pixel added").doesNotContain("href='https://shop.example/x'")
                .contains("https://track.example/t/c/").contains("https://track.example/t/o/");
        assertThat(content.path("Headers").findValuesAsText("Name")).contains("List-Unsubscribe");

        NewMessage from = ready(request("EMAIL", Optional.of("welcome"), Optional.empty(),
                "{\"FromAddress\": \"journey@example.com\"}", endpoint("e1", "EMAIL", "ann@example.com")));
        assertThat(from.content().path("FromAddress").asText()).as("MessageConfig.FromAddress wins")
                .isEqualTo("journey@example.com");
    }

    @Test
    void aTemplateTaggedTrackingOffKeepsItsLinksButStillGetsItsUnsubscribeUrl() {
        template(TemplateType.EMAIL, "plain", WELCOME, Map.of(EmailTracking.TEMPLATE_TAG, "off"));
        ObjectNode content = ready(request("EMAIL", Optional.of("plain"), Optional.empty(), "{}",
                endpoint("e1", "EMAIL", "ann@example.com"))).content();
        assertThat(content.path("HtmlPart").asText()).contains("href='https://shop.example/x'")
                .doesNotContain("/t/o/").contains("https://track.example/t/u/");
    }

    @Test
    void theVersionIsTheOnePinnedElseTheOneActiveWhenSent() {
        template(TemplateType.EMAIL, "news", "{\"Subject\": \"one\", \"TextPart\": \"1\"}", Map.of());
        store.templates().update(TemplateType.EMAIL, "news", json("{\"Subject\": \"two\", \"TextPart\": \"2\"}"),
                true, Optional.empty(), NOW);
        ObjectNode endpoint = endpoint("e1", "EMAIL", "ann@example.com");
        assertThat(ready(request("EMAIL", Optional.of("news"), Optional.empty(), "{}", endpoint)).content()
                .path("Subject").asText()).as("active: still 1").isEqualTo("one");
        assertThat(ready(request("EMAIL", Optional.of("news"), Optional.of("2"), "{}", endpoint)).content()
                .path("Subject").asText()).isEqualTo("two");
        store.templates().activate(TemplateType.EMAIL, "news", Optional.of(2));
        assertThat(ready(request("EMAIL", Optional.of("news"), Optional.empty(), "{}", endpoint)).content()
                .path("Subject").asText()).as("active at send time").isEqualTo("two");
        assertThat(ready(request("EMAIL", Optional.of("news"), Optional.of("1"), "{}", endpoint)).content()
                .path("Subject").asText()).isEqualTo("one");

        JourneyMessages.Refused missingVersion = refused(request("EMAIL", Optional.of("news"), Optional.of("3"), "{}",
                endpoint));
        assertThat(missingVersion.status()).isEqualTo("FAILURE_PERMANENT");
        assertThat(missingVersion.reason()).isEqualTo("The EMAIL template 'news' has no version 3");
        assertThat(refused(request("EMAIL", Optional.of("news"), Optional.of("latest"), "{}", endpoint)).status())
                .isEqualTo("FAILURE_PERMANENT");
    }

    @Test
    void aMissingTemplateOrChannelOrAFailedRenderingIsAPermanentFailureWithItsReason() {
        ObjectNode ann = endpoint("e1", "EMAIL", "ann@example.com");
        JourneyMessages.Refused missing = refused(request("EMAIL", Optional.of("gone"), Optional.empty(), "{}", ann));
        assertThat(missing).isEqualTo(new JourneyMessages.Refused("FAILURE_PERMANENT",
                "The EMAIL template 'gone' does not exist"));

        template(TemplateType.EMAIL, "welcome", WELCOME, Map.of());
        channel(ChannelKind.EMAIL, false, "{}");
        assertThat(refused(request("EMAIL", Optional.of("welcome"), Optional.empty(), "{}", ann))).isEqualTo(
                new JourneyMessages.Refused("FAILURE_PERMANENT", "The EMAIL channel of this app is disabled"));

        template(TemplateType.SMS, "code", "{\"Body\": \"Code {{Address}}\"}", Map.of());
        assertThat(refused(request("SMS", Optional.of("code"), Optional.empty(), "{}",
                endpoint("s1", "SMS", "+15550100")))).isEqualTo(
                new JourneyMessages.Refused("FAILURE_PERMANENT", "The SMS channel of this app is not set up"));

        channel(ChannelKind.EMAIL, true, "{}");
        template(TemplateType.EMAIL, "broken", "{\"Subject\": \"{{divide 1 0}}\", \"TextPart\": \"x\"}", Map.of());
        JourneyMessages.Refused rendering = refused(request("EMAIL", Optional.of("broken"), Optional.empty(), "{}",
                ann));
        assertThat(rendering.status()).isEqualTo("FAILURE_PERMANENT");
        assertThat(rendering.reason()).contains("could not be rendered").contains("division by zero");
    }

    @Test
    void anEndpointWhoseChannelDoesNotFitTheActivityIsUnsupported() {
        ObjectNode sms = endpoint("s1", "SMS", "+15550100");
        ObjectNode email = endpoint("e1", "EMAIL", "ann@example.com");
        assertThat(refused(request("EMAIL", Optional.of("welcome"), Optional.empty(), "{}", sms))).isEqualTo(
                new JourneyMessages.Refused("UNSUPPORTED_CHANNEL",
                        "Endpoint 's1' has ChannelType SMS, which a EMAIL activity does not reach"));
        assertThat(refused(request("SMS", Optional.empty(), Optional.empty(), "{}", email)).status())
                .isEqualTo("UNSUPPORTED_CHANNEL");
        assertThat(refused(request("PUSH", Optional.empty(), Optional.empty(), "{}", email)).status())
                .isEqualTo("UNSUPPORTED_CHANNEL");
        assertThat(refused(request("PUSH", Optional.empty(), Optional.empty(), "{}",
                endpoint("v1", "VOICE", "+15550100"))).status()).isEqualTo("UNSUPPORTED_CHANNEL");
        assertThat(refused(custom(Optional.of("https://hook.example"), List.of(), "{}", email)).status())
                .as("CUSTOM reaches CUSTOM endpoints unless EndpointTypes says more").isEqualTo("UNSUPPORTED_CHANNEL");
        assertThat(ready(custom(Optional.of("https://hook.example"), List.of("EMAIL", "SMS"), "{}", email)).channel())
                .isEqualTo(Channel.CUSTOM);
    }

    @Test
    void anEndpointThatLeftItsChannelSinceItEnteredIsNotSentTo() {
        template(TemplateType.EMAIL, "welcome", WELCOME, Map.of());
        ObjectNode optedOut = endpoint("e1", "EMAIL", "ann@example.com").put("OptOut", "ALL");
        ObjectNode inactive = endpoint("e2", "EMAIL", "bob@example.com").put("EndpointStatus", "INACTIVE");
        ObjectNode noAddress = endpoint("e3", "EMAIL", "");
        ObjectNode badAddress = endpoint("e4", "EMAIL", "Ann <ann@example.com>");
        assertThat(List.of(optedOut, inactive, noAddress, badAddress)).allSatisfy(endpoint -> assertThat(
                refused(request("EMAIL", Optional.of("welcome"), Optional.empty(), "{}", endpoint)).status())
                .isEqualTo("FAILURE_PERMANENT"));
        assertThat(refused(request("EMAIL", Optional.of("welcome"), Optional.empty(), "{}", optedOut)).reason())
                .isEqualTo("Endpoint 'e1' has opted out of all messages (OptOut ALL)");
    }

    @Test
    void anSmsCarriesItsMessageConfigMembersAndTheChannelsSenderId() {
        channel(ChannelKind.SMS, true, "{\"SenderId\": \"ACME\"}");
        template(TemplateType.SMS, "code", "{\"Body\": \"Hello {{User.UserAttributes.FirstName}}\"}", Map.of());
        NewMessage message = ready(request("SMS", Optional.of("code"), Optional.empty(),
                "{\"MessageType\": \"TRANSACTIONAL\", \"OriginationNumber\": \"+15550199\", \"EntityId\": \"ent\", "
                        + "\"TemplateId\": \"tpl\"}", endpoint("s1", "SMS", "+15550100")));
        assertThat(message.channel()).isEqualTo(Channel.SMS);
        assertThat(message.destination()).isEqualTo("+15550100");
        assertThat(message.content()).isEqualTo(json("{\"Body\": \"Hello Ann\", \"MessageType\": \"TRANSACTIONAL\", "
                + "\"OriginationNumber\": \"+15550199\", \"EntityId\": \"ent\", \"TemplateId\": \"tpl\", "
                + "\"SenderId\": \"ACME\"}"));
        NewMessage own = ready(request("SMS", Optional.of("code"), Optional.empty(), "{\"SenderId\": \"MINE\"}",
                endpoint("s1", "SMS", "+15550100")));
        assertThat(own.content().path("SenderId").asText()).isEqualTo("MINE");
    }

    @Test
    void aPushGoesToTheEndpointsPlatformWithItsTimeToLive() {
        channel(ChannelKind.GCM, true, "{}");
        template(TemplateType.PUSH, "alert", "{\"Default\": {\"Title\": \"Hi {{User.UserAttributes.FirstName}}\", "
                + "\"Body\": \"News\"}, \"GCM\": {\"Body\": \"GCM news\"}}", Map.of());
        NewMessage message = ready(request("PUSH", Optional.of("alert"), Optional.empty(), "{\"TimeToLive\": \"3600\"}",
                endpoint("p1", "GCM", "token-1")));
        assertThat(message.channel()).isEqualTo(Channel.PUSH);
        assertThat(message.destination()).isEqualTo("token-1");
        assertThat(message.content().path("Platform").asText()).isEqualTo("GCM");
        assertThat(message.content().path("Title").asText()).isEqualTo("Hi Ann");
        assertThat(message.content().path("Body").asText()).isEqualTo("GCM news");
        assertThat(message.content().path("TimeToLive").isIntegralNumber()).isTrue();
        assertThat(message.content().path("TimeToLive").asLong()).isEqualTo(3600);

        assertThat(refused(request("PUSH", Optional.of("alert"), Optional.empty(), "{}",
                endpoint("p2", "APNS_SANDBOX", "token-2")))).as("the endpoint's platform's channel").isEqualTo(
                new JourneyMessages.Refused("FAILURE_PERMANENT", "The APNS_SANDBOX channel of this app is not set up"));
    }

    @Test
    void aCustomMessageIsTheActivitysDataAndTheEndpointForTheDeliveryUri() {
        ObjectNode endpoint = endpoint("c1", "CUSTOM", "anything");
        NewMessage message = ready(custom(Optional.of("https://hook.example/in"), List.of(),
                "{\"Data\": \"{\\\"offer\\\": 7}\"}", endpoint));
        assertThat(message.channel()).isEqualTo(Channel.CUSTOM);
        assertThat(message.destination()).isEqualTo("https://hook.example/in");
        assertThat(message.endpointId()).contains("c1");
        assertThat(message.content().path("Data").asText()).isEqualTo("{\"offer\": 7}");
        assertThat(message.content().path("Endpoints").path("c1")).isEqualTo(endpoint);

        ObjectNode payload = new CustomTransport(false, Optional.empty(), Optional.empty()).payload(
                new OutboundMessage(message.id(), APP, message.idempotencyKey(), message.channel(),
                        message.destination(), message.endpointId(), message.content(), message.origin(), 1));
        assertThat(payload.path("Data").asText()).isEqualTo("{\"offer\": 7}");
        assertThat(payload.path("JourneyId").asText()).isEqualTo("journey-1");
        assertThat(payload.path("Endpoints").path("c1").path("User").path("UserId").asText()).isEqualTo("u1");

        assertThat(refused(custom(Optional.empty(), List.of(), "{}", endpoint))).isEqualTo(
                new JourneyMessages.Refused("FAILURE_PERMANENT", "The CUSTOM activity has no DeliveryUri"));
    }

    @Test
    void aMessageNotSentIsAJourneySendRecordWithPinpointsAttributes() {
        EventRecord record = builder.notSent(APP, "e1", ORIGIN, "SMS", "DAILY_CAP", "DailyCap 2 reached",
                "rec-1", NOW);
        assertThat(record.eventType()).isEqualTo("_journey.send");
        assertThat(record.eventId()).isEqualTo("rec-1");
        assertThat(record.endpointKey()).isEqualTo("e1");
        assertThat(record.timestamp()).isEqualTo(NOW);
        assertThat(record.attributes()).isEqualTo(Map.of("journey_id", "journey-1", "journey_run_id", "run-1",
                "journey_activity_id", "activity-1", "journey_activity_type", "SMS", "journey_send_status",
                "DAILY_CAP", "journey_send_status_message", "DailyCap 2 reached", "journey_send_status_code", "0"));
        int added = store.jdbi().inTransaction(handle -> store.events().append(handle, List.of(record)));
        assertThat(added).as("a record the event log takes").isEqualTo(1);
    }
}
