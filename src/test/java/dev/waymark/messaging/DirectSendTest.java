package dev.waymark.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.waymark.error.ApiException;
import dev.waymark.messaging.render.MessageRenderer;
import dev.waymark.wire.Json;
import dev.waymark.wire.ShapeReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DirectSendTest {
    private static final String APP = "app1";

    private final Map<String, ObjectNode> endpoints = new HashMap<>();
    private final Map<String, ChannelState> channels = new HashMap<>();
    private final Map<String, StoredTemplate> templates = new HashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final DirectSend send = new DirectSend(new DirectSend.Audience() {
        @Override
        public Optional<ObjectNode> endpoint(String appId, String endpointId) {
            return Optional.ofNullable(endpoints.get(endpointId.toLowerCase()));
        }

        @Override
        public List<ObjectNode> userEndpoints(String appId, String userId) {
            List<ObjectNode> found = new ArrayList<>();
            endpoints.values().stream().filter(e -> userId.equals(e.path("User").path("UserId").asText()))
                    .sorted((a, b) -> a.path("Id").asText().compareTo(b.path("Id").asText())).forEach(found::add);
            return found;
        }
    }, (appId, type) -> Optional.ofNullable(channels.get(type)),
            (type, name, version) -> Optional.ofNullable(templates.get(type + "/" + name + "/" + version.orElse(0))),
            new DirectContent(new SimpleRenderer()), () -> "m" + ids.incrementAndGet());

    DirectSendTest() {
        channels.put("EMAIL", new ChannelState("EMAIL", true,
                Json.MAPPER.createObjectNode().put("FromAddress", "channel@example.com")));
        channels.put("SMS", new ChannelState("SMS", true, Json.MAPPER.createObjectNode().put("SenderId", "ACME")));
        channels.put("GCM", new ChannelState("GCM", true, Json.MAPPER.createObjectNode()));
    }

    private List<DirectSend.Entry> messages(String json) throws Exception {
        return send.plan(APP, SendRules.messages(ShapeReader.read(Json.MAPPER.readTree(json),
                MessageShapes.MESSAGE_REQUEST)));
    }

    private void endpoint(String json) throws Exception {
        ObjectNode endpoint = (ObjectNode) Json.MAPPER.readTree(json);
        endpoints.put(endpoint.path("Id").asText().toLowerCase(), endpoint);
    }

    private void template(TemplateType type, String name, int version, boolean active, String json) throws Exception {
        StoredTemplate stored = new StoredTemplate(type, name, version, (ObjectNode) Json.MAPPER.readTree(json),
                Instant.EPOCH, Instant.EPOCH);
        templates.put(type + "/" + name + "/" + version, stored);
        if (active) {
            templates.put(type + "/" + name + "/0", stored);
        }
    }

    @Test
    void aRawEmailToAnAddressIsOneQueuedMessage() throws Exception {
        List<DirectSend.Entry> entries = messages("""
                {"Addresses": {"ada@example.com": {"ChannelType": "EMAIL"}},
                 "MessageConfiguration": {"EmailMessage": {"SimpleEmail": {
                   "Subject": {"Data": "Hello {{Name}}"}, "HtmlPart": {"Data": "<p>Hi</p>"},
                   "TextPart": {"Data": "Hi"}}, "Substitutions": {"Name": ["Ada"]}}},
                 "Context": {"campaign": "spring"}, "TraceId": "t-1"}""");
        assertThat(entries).hasSize(1);
        NewMessage message = entries.get(0).queued().orElseThrow();
        assertThat(message.id()).isEqualTo("m1");
        assertThat(message.idempotencyKey()).isEqualTo("direct:m1");
        assertThat(message.channel()).isEqualTo(Channel.EMAIL);
        assertThat(message.destination()).isEqualTo("ada@example.com");
        assertThat(message.endpointId()).isEmpty();
        assertThat(message.origin()).isEqualTo(Origin.direct(Optional.of("t-1")));
        assertThat(message.rate()).isEmpty();
        assertThat(message.content().path("Subject").asText()).isEqualTo("Hello Ada");
        assertThat(message.content().path("HtmlPart").asText()).isEqualTo("<p>Hi</p>");
        assertThat(message.content().path("TextPart").asText()).isEqualTo("Hi");
        assertThat(message.content().path("FromAddress").asText()).isEqualTo("channel@example.com");
        assertThat(message.content().path("Context").path("campaign").asText()).isEqualTo("spring");
    }

    @Test
    void theMessagesFromAddressWinsOverTheChannels() throws Exception {
        NewMessage message = messages("""
                {"Addresses": {"ada@example.com": {"ChannelType": "EMAIL"}},
                 "MessageConfiguration": {"EmailMessage": {"FromAddress": "me@example.com", "SimpleEmail": {
                   "Subject": {"Data": "S"}, "TextPart": {"Data": "T"}}}}}""").get(0).queued().orElseThrow();
        assertThat(message.content().path("FromAddress").asText()).isEqualTo("me@example.com");
    }

    @Test
    void noFromAddressAnywhereIsAPermanentFailure() throws Exception {
        channels.put("EMAIL", new ChannelState("EMAIL", true, Json.MAPPER.createObjectNode()));
        DirectSend.Entry entry = messages("""
                {"Addresses": {"ada@example.com": {"ChannelType": "EMAIL"}},
                 "MessageConfiguration": {"EmailMessage": {"SimpleEmail": {
                   "Subject": {"Data": "S"}, "TextPart": {"Data": "T"}}}}}""").get(0);
        assertThat(entry.queued()).isEmpty();
        assertThat(entry.settled().orElseThrow().deliveryStatus()).isEqualTo("PERMANENT_FAILURE");
        assertThat(entry.settled().orElseThrow().statusMessage()).contains("No FromAddress");
    }

    @Test
    void aTemplateIsRenderedForEachEndpointAndTheRequestsPartsWin() throws Exception {
        endpoint("""
                {"Id": "ep-1", "ChannelType": "EMAIL", "Address": "ada@example.com", "EndpointStatus": "ACTIVE",
                 "User": {"UserId": "ada", "UserAttributes": {"FirstName": ["Ada"]}}}""");
        endpoint("""
                {"Id": "ep-2", "ChannelType": "EMAIL", "Address": "bob@example.com", "EndpointStatus": "ACTIVE"}""");
        template(TemplateType.EMAIL, "welcome", 1, false, """
                {"Subject": "Old", "TextPart": "old"}""");
        template(TemplateType.EMAIL, "welcome", 2, true, """
                {"Subject": "Welcome {{User.UserAttributes.FirstName}}", "TextPart": "Text",
                 "HtmlPart": "<b>{{User.UserAttributes.FirstName}}</b>",
                 "DefaultSubstitutions": "{\\"User.UserAttributes.FirstName\\": \\"friend\\"}"}""");
        List<DirectSend.Entry> entries = messages("""
                {"Endpoints": {"EP-1": {}, "ep-2": {}},
                 "MessageConfiguration": {"EmailMessage": {"SimpleEmail": {"TextPart": {"Data": "Mine"}}}},
                 "TemplateConfiguration": {"EmailTemplate": {"Name": "welcome"}}}""");
        ObjectNode ada = entries.get(0).queued().orElseThrow().content();
        assertThat(ada.path("Subject").asText()).isEqualTo("Welcome Ada");
        assertThat(ada.path("HtmlPart").asText()).isEqualTo("<b>Ada</b>");
        assertThat(ada.path("TextPart").asText()).isEqualTo("Mine");
        assertThat(entries.get(0).endpointId()).contains("EP-1");
        assertThat(entries.get(0).queued().orElseThrow().endpointId()).contains("ep-1");
        assertThat(entries.get(0).address()).contains("ada@example.com");
        assertThat(entries.get(1).queued().orElseThrow().content().path("Subject").asText())
                .isEqualTo("Welcome friend");

        List<DirectSend.Entry> first = messages("""
                {"Endpoints": {"ep-2": {}}, "MessageConfiguration": {},
                 "TemplateConfiguration": {"EmailTemplate": {"Name": "welcome", "Version": "1"}}}""");
        assertThat(first.get(0).queued().orElseThrow().content().path("Subject").asText()).isEqualTo("Old");
    }

    @Test
    void aMissingTemplateOrVersionRefusesTheRequest() throws Exception {
        endpoint("{\"Id\": \"ep-1\", \"ChannelType\": \"EMAIL\", \"Address\": \"a@example.com\"}");
        template(TemplateType.EMAIL, "welcome", 1, true, "{\"Subject\": \"S\", \"TextPart\": \"T\"}");
        assertThatThrownBy(() -> messages("""
                {"Endpoints": {"ep-1": {}}, "MessageConfiguration": {},
                 "TemplateConfiguration": {"EmailTemplate": {"Name": "nope"}}}"""))
                .isInstanceOf(ApiException.class).hasMessageContaining("Template 'nope' of type EMAIL not found");
        assertThatThrownBy(() -> messages("""
                {"Endpoints": {"ep-1": {}}, "MessageConfiguration": {},
                 "TemplateConfiguration": {"EmailTemplate": {"Name": "welcome", "Version": "7"}}}"""))
                .isInstanceOf(ApiException.class).hasMessageContaining("Version 7 of template 'welcome'");
    }

    @Test
    void endpointsThatCannotReceiveAreSettledAtOnce() throws Exception {
        endpoint("{\"Id\": \"inactive\", \"ChannelType\": \"EMAIL\", \"Address\": \"i@example.com\", "
                + "\"EndpointStatus\": \"INACTIVE\"}");
        endpoint("{\"Id\": \"out\", \"ChannelType\": \"EMAIL\", \"Address\": \"o@example.com\", \"OptOut\": \"ALL\"}");
        endpoint("{\"Id\": \"voice\", \"ChannelType\": \"VOICE\", \"Address\": \"+15550001\"}");
        endpoint("{\"Id\": \"custom\", \"ChannelType\": \"CUSTOM\", \"Address\": \"https://x\"}");
        endpoint("{\"Id\": \"ok\", \"ChannelType\": \"SMS\", \"Address\": \"+15550002\"}");
        endpoint("{\"Id\": \"same\", \"ChannelType\": \"SMS\", \"Address\": \"+15550002\"}");
        List<DirectSend.Entry> entries = messages("""
                {"Endpoints": {"missing": {}, "inactive": {}, "out": {}, "voice": {}, "custom": {}, "ok": {},
                               "same": {}},
                 "MessageConfiguration": {"DefaultMessage": {"Body": "Hello"},
                   "EmailMessage": {"SimpleEmail": {"Subject": {"Data": "S"}}}}}""");
        assertThat(entries).extracting(entry -> entry.recipient().key() + " " + entry.settled()
                        .map(result -> result.deliveryStatus() + " " + result.statusCode()).orElse("queued"))
                .containsExactly("missing PERMANENT_FAILURE 404", "inactive PERMANENT_FAILURE 400",
                        "out OPT_OUT 400", "voice PERMANENT_FAILURE 400", "custom PERMANENT_FAILURE 400",
                        "ok queued", "same DUPLICATE 400");
        assertThat(entries.get(3).settled().orElseThrow().statusMessage())
                .isEqualTo("The VOICE channel of this app is not set up");
        channels.put("SMS", new ChannelState("SMS", false, Json.MAPPER.createObjectNode()));
        DirectSend.Entry disabled = messages("""
                {"Endpoints": {"ok": {}}, "MessageConfiguration": {"DefaultMessage": {"Body": "Hello"}}}""").get(0);
        assertThat(disabled.settled().orElseThrow().statusMessage()).isEqualTo("The SMS channel of this app is disabled");
    }

    @Test
    void smsBodyFallsBackToDefaultMessageAndTheOverrideWins() throws Exception {
        List<DirectSend.Entry> entries = messages("""
                {"Addresses": {"+15550001": {"ChannelType": "SMS"},
                               "+15550002": {"ChannelType": "SMS", "BodyOverride": "Code {{Code}}",
                                             "Substitutions": {"Code": ["42"]}}},
                 "MessageConfiguration": {"DefaultMessage": {"Body": "Hello {{Code}}",
                                                             "Substitutions": {"Code": ["1"]}},
                   "SMSMessage": {"MessageType": "TRANSACTIONAL", "OriginationNumber": "+15559999"}}}""");
        ObjectNode first = entries.get(0).queued().orElseThrow().content();
        assertThat(first.path("Body").asText()).isEqualTo("Hello 1");
        assertThat(first.path("MessageType").asText()).isEqualTo("TRANSACTIONAL");
        assertThat(first.path("OriginationNumber").asText()).isEqualTo("+15559999");
        assertThat(first.path("SenderId").asText()).isEqualTo("ACME");
        assertThat(entries.get(0).queued().orElseThrow().channel()).isEqualTo(Channel.SMS);
        assertThat(entries.get(1).queued().orElseThrow().content().path("Body").asText()).isEqualTo("Code 42");
    }

    @Test
    void aPushPlatformsMessageWinsOverTheDefaultPush() throws Exception {
        NewMessage message = messages("""
                {"Addresses": {"token-1": {"ChannelType": "GCM", "RawContent": "{\\"data\\":{}}"}},
                 "MessageConfiguration": {"DefaultPushNotificationMessage": {"Title": "T", "Body": "Default",
                   "Action": "OPEN_APP"}, "GCMMessage": {"Body": "For Android", "Priority": "high"}}}""")
                .get(0).queued().orElseThrow();
        assertThat(message.channel()).isEqualTo(Channel.PUSH);
        assertThat(message.content().path("Platform").asText()).isEqualTo("GCM");
        assertThat(message.content().path("Title").asText()).isEqualTo("T");
        assertThat(message.content().path("Body").asText()).isEqualTo("For Android");
        assertThat(message.content().path("Action").asText()).isEqualTo("OPEN_APP");
        assertThat(message.content().path("Priority").asText()).isEqualTo("high");
        assertThat(message.content().path("RawContent").asText()).isEqualTo("{\"data\":{}}");
    }

    @Test
    void aUserIsEveryEndpointItHas() throws Exception {
        endpoint("{\"Id\": \"a-mail\", \"ChannelType\": \"EMAIL\", \"Address\": \"a@example.com\", "
                + "\"User\": {\"UserId\": \"ada\"}}");
        endpoint("{\"Id\": \"a-sms\", \"ChannelType\": \"SMS\", \"Address\": \"+15550003\", "
                + "\"User\": {\"UserId\": \"ada\"}}");
        List<DirectSend.Entry> entries = send.plan(APP, SendRules.users(ShapeReader.read(Json.MAPPER.readTree("""
                {"Users": {"ada": {}, "nobody": {}},
                 "MessageConfiguration": {"DefaultMessage": {"Body": "Hi"},
                   "EmailMessage": {"SimpleEmail": {"Subject": {"Data": "S"}}}}}"""),
                MessageShapes.SEND_USERS_MESSAGE_REQUEST)));
        assertThat(entries).extracting(entry -> entry.endpointId().orElseThrow() + " "
                        + entry.queued().orElseThrow().channel())
                .containsExactly("a-mail EMAIL", "a-sms SMS");
        assertThat(entries.get(0).queued().orElseThrow().content().path("TextPart").asText()).isEqualTo("Hi");
    }

    @Test
    void anAddressThatIsNoAddressIsThatRecipientsPermanentFailure() throws Exception {
        List<DirectSend.Entry> entries = messages("""
                {"Addresses": {"not-an-email": {"ChannelType": "EMAIL"},
                               "Ada <ada@example.com>": {"ChannelType": "EMAIL"},
                               "+15550001\\r\\nRCPT TO:<x@example.com>": {"ChannelType": "SMS"},
                               "ok@example.com": {"ChannelType": "EMAIL"}},
                 "MessageConfiguration": {"DefaultMessage": {"Body": "Hi"},
                   "EmailMessage": {"SimpleEmail": {"Subject": {"Data": "S"}}}}}""");
        assertThat(entries).extracting(entry -> entry.settled().map(MessageResults.Result::statusMessage)
                        .orElse("queued"))
                .containsExactly("'not-an-email' is not a valid EMAIL address",
                        "'Ada <ada@example.com>' is not a valid EMAIL address",
                        "'+15550001\r\nRCPT TO:<x@example.com>' is not a valid SMS address", "queued");
    }

    @Test
    void aRequestWhoseMessagesTogetherRenderPastTheBoundIsRefusedWhole() throws Exception {
        // 100 recipients of a 50,000-character email: 5,000,000 characters, past the 4,000,000 one request may hold.
        StringBuilder addresses = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            addresses.append(i == 0 ? "" : ",").append("\"user").append(i).append("@example.com\": ")
                    .append("{\"ChannelType\": \"EMAIL\"}");
        }
        String big = "x".repeat(50_000);
        String request = "{\"Addresses\": {" + addresses + "}, \"MessageConfiguration\": {\"EmailMessage\": "
                + "{\"SimpleEmail\": {\"Subject\": {\"Data\": \"S\"}, \"TextPart\": {\"Data\": \"" + big + "\"}}}}}";
        assertThatThrownBy(() -> messages(request)).isInstanceOf(dev.waymark.rules.RuleViolation.class)
                .hasMessageContaining("at most 4000000 characters once rendered");
        // 79 of them fit.
        String fewer = request.replaceAll(",\"user(79|[89]\\d)@example\\.com\": \\{\"ChannelType\": \"EMAIL\"\\}", "");
        assertThat(messages(fewer)).hasSize(79).allMatch(entry -> entry.queued().isPresent());
    }

    @Test
    void aRenderingFailureIsThatRecipientsPermanentFailure() throws Exception {
        DirectSend.Entry entry = messages("""
                {"Addresses": {"+15550001": {"ChannelType": "SMS"}},
                 "MessageConfiguration": {"SMSMessage": {"Body": "{{#if}}"}}}""").get(0);
        assertThat(entry.settled().orElseThrow().statusMessage()).startsWith("The message could not be rendered");
    }

    /** Replaces {{Name}} and {{A.B.C}} as the real renderer does for plain variables; refuses block helpers. */
    private static final class SimpleRenderer implements MessageRenderer {
        private static final Pattern VARIABLE = Pattern.compile("\\{\\{([^#/}][^}]*)}}");

        @Override
        public ObjectNode render(ObjectNode parts, ObjectNode variables, Optional<String> defaultSubstitutions,
                                 Map<String, List<String>> substitutions) {
            ObjectNode rendered = parts.deepCopy();
            for (Map.Entry<String, JsonNode> part : parts.properties()) {
                if (part.getValue().isTextual()) {
                    String text = part.getValue().asText();
                    if (text.contains("{{#")) {
                        throw new RenderingFailure(part.getKey() + ": helper without arguments");
                    }
                    Matcher matcher = VARIABLE.matcher(text);
                    StringBuilder out = new StringBuilder();
                    while (matcher.find()) {
                        matcher.appendReplacement(out, Matcher.quoteReplacement(
                                value(matcher.group(1).trim(), variables, defaultSubstitutions, substitutions)));
                    }
                    matcher.appendTail(out);
                    rendered.set(part.getKey(), TextNode.valueOf(out.toString()));
                }
            }
            return rendered;
        }

        private static String value(String name, ObjectNode variables, Optional<String> defaults,
                                    Map<String, List<String>> substitutions) {
            if (substitutions.containsKey(name)) {
                return substitutions.get(name).get(0);
            }
            JsonNode node = variables;
            for (String step : name.split("\\.")) {
                node = node.path(step);
            }
            if (node.isArray()) {
                node = node.path(0);
            }
            if (!node.isMissingNode()) {
                return node.asText();
            }
            if (defaults.isPresent()) {
                try {
                    return Json.MAPPER.readTree(defaults.get()).path(name).asText("");
                } catch (Exception e) {
                    return "";
                }
            }
            return "";
        }
    }
}
