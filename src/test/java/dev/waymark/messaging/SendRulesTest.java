package dev.waymark.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.error.ApiException;
import dev.waymark.rules.RuleViolation;
import dev.waymark.wire.Json;
import dev.waymark.wire.ShapeReader;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SendRulesTest {
    private static SendRequest messages(String json) throws Exception {
        return SendRules.messages(ShapeReader.read(Json.MAPPER.readTree(json), MessageShapes.MESSAGE_REQUEST));
    }

    private static SendRequest users(String json) throws Exception {
        return SendRules.users(ShapeReader.read(Json.MAPPER.readTree(json), MessageShapes.SEND_USERS_MESSAGE_REQUEST));
    }

    private static String withAddresses(int count) {
        ObjectNode addresses = Json.MAPPER.createObjectNode();
        for (int i = 0; i < count; i++) {
            addresses.putObject("a" + i + "@example.com").put("ChannelType", "EMAIL");
        }
        return "{\"Addresses\":" + addresses + ",\"MessageConfiguration\":{}}";
    }

    @Test
    void readsRecipientsInOrderWithTheirOverrides() throws Exception {
        SendRequest request = messages("""
                {"Addresses": {"ada@example.com": {"ChannelType": "EMAIL", "TitleOverride": "Hi",
                   "Substitutions": {"Name": ["Ada"]}, "Context": {"k": "v"}}},
                 "Endpoints": {"ep-1": {"BodyOverride": "body", "RawContent": "{}"}},
                 "MessageConfiguration": {"DefaultMessage": {"Body": "x"}},
                 "TemplateConfiguration": {"EmailTemplate": {"Name": "welcome", "Version": "2"},
                   "SMSTemplate": {"Name": "code"}},
                 "Context": {"campaign": "spring"}, "TraceId": "trace-1"}""");
        assertThat(request.recipients()).extracting(SendRequest.Recipient::kind, SendRequest.Recipient::key)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(SendRequest.Kind.ADDRESS, "ada@example.com"),
                        org.assertj.core.groups.Tuple.tuple(SendRequest.Kind.ENDPOINT, "ep-1"));
        SendRequest.Recipient ada = request.recipients().get(0);
        assertThat(ada.channelType()).contains("EMAIL");
        assertThat(ada.overrides().title()).contains("Hi");
        assertThat(ada.overrides().substitutions()).isEqualTo(Map.of("Name", List.of("Ada")));
        assertThat(ada.overrides().context()).isEqualTo(Map.of("k", "v"));
        assertThat(request.recipients().get(1).overrides().body()).contains("body");
        assertThat(request.recipients().get(1).overrides().rawContent()).contains("{}");
        assertThat(request.templates()).isEqualTo(Map.of(
                TemplateType.EMAIL, new SendRequest.TemplateChoice("welcome", Optional.of(2)),
                TemplateType.SMS, new SendRequest.TemplateChoice("code", Optional.empty())));
        assertThat(request.context()).isEqualTo(Map.of("campaign", "spring"));
        assertThat(request.traceId()).contains("trace-1");
    }

    @Test
    void aHundredRecipientsAreTheLimit() throws Exception {
        assertThat(messages(withAddresses(100)).recipients()).hasSize(100);
        assertThatThrownBy(() -> messages(withAddresses(101))).isInstanceOf(RuleViolation.class)
                .hasMessageContaining("at most 100 recipients").hasMessageContaining("101");
        assertThatThrownBy(() -> messages("{\"MessageConfiguration\":{}}")).isInstanceOf(RuleViolation.class)
                .hasMessageContaining("at least one recipient");
    }

    @Test
    void addressesAndEndpointsCountTogether() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.putObject("MessageConfiguration");
        for (int i = 0; i < 60; i++) {
            body.with("Addresses").putObject("+1555000" + i).put("ChannelType", "SMS");
            body.with("Endpoints").putObject("ep" + i);
        }
        assertThatThrownBy(() -> SendRules.messages(ShapeReader.read(body, MessageShapes.MESSAGE_REQUEST)))
                .isInstanceOf(RuleViolation.class).hasMessageContaining("Addresses and Endpoints together")
                .hasMessageContaining("120");
    }

    @Test
    void aHundredUsersAreTheLimit() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.putObject("MessageConfiguration");
        for (int i = 0; i < 101; i++) {
            body.with("Users").putObject("user" + i);
        }
        assertThatThrownBy(() -> SendRules.users(ShapeReader.read(body, MessageShapes.SEND_USERS_MESSAGE_REQUEST)))
                .isInstanceOf(RuleViolation.class).hasMessageContaining("at most 100 users");
    }

    @Test
    void usersAndMessageConfigurationAreRequired() {
        assertThatThrownBy(() -> users("{\"MessageConfiguration\":{}}")).isInstanceOf(ApiException.class)
                .hasMessageContaining("Users is required");
        assertThatThrownBy(() -> messages("{\"Addresses\":{}}")).isInstanceOf(ApiException.class)
                .hasMessageContaining("MessageConfiguration is required");
    }

    @Test
    void anAddressNeedsAChannelThatCanBeSentTo() {
        assertThatThrownBy(() -> messages("{\"Addresses\":{\"x\":{}},\"MessageConfiguration\":{}}"))
                .isInstanceOf(RuleViolation.class).hasMessageContaining("Addresses.x.ChannelType is required");
        assertThatThrownBy(() -> messages(
                "{\"Addresses\":{\"https://hook\":{\"ChannelType\":\"CUSTOM\"}},\"MessageConfiguration\":{}}"))
                .isInstanceOf(RuleViolation.class)
                .hasMessageContaining("Addresses.https://hook.ChannelType CUSTOM cannot be sent to directly");
        assertThatThrownBy(() -> messages(
                "{\"Addresses\":{\"x\":{\"ChannelType\":\"FAX\"}},\"MessageConfiguration\":{}}"))
                .isInstanceOf(ApiException.class).hasMessageContaining("Addresses.x.ChannelType must be one of");
    }

    @Test
    void templatesAreNamedProperlyAndNeverInApp() {
        String base = "{\"Endpoints\":{\"e\":{}},\"MessageConfiguration\":{},\"TemplateConfiguration\":";
        assertThatThrownBy(() -> messages(base + "{\"InAppTemplate\":{\"Name\":\"x\"}}}"))
                .isInstanceOf(RuleViolation.class).hasMessageContaining("InAppTemplate is not supported");
        assertThatThrownBy(() -> messages(base + "{\"EmailTemplate\":{\"Version\":\"1\"}}}"))
                .isInstanceOf(RuleViolation.class).hasMessageContaining("TemplateConfiguration.EmailTemplate.Name is "
                        + "required");
        assertThatThrownBy(() -> messages(base + "{\"EmailTemplate\":{\"Name\":\"x\",\"Version\":\"latest\"}}}"))
                .isInstanceOf(RuleViolation.class)
                .hasMessageContaining("TemplateConfiguration.EmailTemplate.Version must be a version number");
        assertThatThrownBy(() -> messages(base + "{\"SMSTemplate\":{\"Name\":\"has space\"}}}"))
                .isInstanceOf(RuleViolation.class).hasMessageContaining("TemplateConfiguration.SMSTemplate.Name");
    }

    @Test
    void rawEmailIsRefusedWithTheAlternative() {
        assertThatThrownBy(() -> messages("{\"Endpoints\":{\"e\":{}},\"MessageConfiguration\":{\"EmailMessage\":"
                + "{\"RawEmail\":{\"Data\":\"aGVsbG8=\"}}}}"))
                .isInstanceOf(RuleViolation.class).hasMessageContaining("RawEmail is not supported")
                .hasMessageContaining("SimpleEmail");
        assertThatThrownBy(() -> messages("{\"Endpoints\":{\"e\":{}},\"MessageConfiguration\":{\"EmailMessage\":"
                + "{\"RawEmail\":{\"Data\":\"not base64!\"}}}}"))
                .isInstanceOf(ApiException.class).hasMessageContaining("RawEmail.Data must be a base64 string");
    }

    @Test
    void stringsAndMapsAreBounded() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.putObject("MessageConfiguration").putObject("SMSMessage").put("Body", "x".repeat(1601));
        body.putObject("Endpoints").putObject("e");
        assertThatThrownBy(() -> SendRules.messages(ShapeReader.read(body, MessageShapes.MESSAGE_REQUEST)))
                .isInstanceOf(RuleViolation.class)
                .hasMessageContaining("MessageConfiguration.SMSMessage.Body has 1601 characters; at most 1600");

        ObjectNode titled = Json.MAPPER.createObjectNode();
        titled.putObject("MessageConfiguration");
        titled.putObject("Endpoints").putObject("e").put("TitleOverride", "t".repeat(2001));
        assertThatThrownBy(() -> SendRules.messages(ShapeReader.read(titled, MessageShapes.MESSAGE_REQUEST)))
                .isInstanceOf(RuleViolation.class).hasMessageContaining("Endpoints.e.TitleOverride has 2001");

        ObjectNode context = Json.MAPPER.createObjectNode();
        context.putObject("MessageConfiguration");
        context.putObject("Endpoints").putObject("e");
        for (int i = 0; i < 51; i++) {
            context.with("Context").put("k" + i, "v");
        }
        assertThatThrownBy(() -> SendRules.messages(ShapeReader.read(context, MessageShapes.MESSAGE_REQUEST)))
                .isInstanceOf(RuleViolation.class).hasMessageContaining("Context may hold at most 50 entries");

        ObjectNode substitutions = Json.MAPPER.createObjectNode();
        substitutions.putObject("MessageConfiguration");
        ObjectNode values = substitutions.putObject("Endpoints").putObject("e").putObject("Substitutions");
        for (int i = 0; i < 101; i++) {
            values.putArray("v" + i).add("x");
        }
        assertThatThrownBy(() -> SendRules.messages(ShapeReader.read(substitutions, MessageShapes.MESSAGE_REQUEST)))
                .isInstanceOf(RuleViolation.class)
                .hasMessageContaining("Endpoints.e.Substitutions may hold at most 100 variables");

        ObjectNode headers = Json.MAPPER.createObjectNode();
        headers.putObject("Endpoints").putObject("e");
        var list = headers.putObject("MessageConfiguration").putObject("EmailMessage").putObject("SimpleEmail")
                .putArray("Headers");
        for (int i = 0; i < 16; i++) {
            list.addObject().put("Name", "X-" + i).put("Value", "v");
        }
        assertThatThrownBy(() -> SendRules.messages(ShapeReader.read(headers, MessageShapes.MESSAGE_REQUEST)))
                .isInstanceOf(RuleViolation.class).hasMessageContaining("Headers may hold at most 15 headers");
    }

    @Test
    void keysAreBounded() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.putObject("MessageConfiguration");
        body.putObject("Endpoints").putObject("e".repeat(129));
        assertThatThrownBy(() -> SendRules.messages(ShapeReader.read(body, MessageShapes.MESSAGE_REQUEST)))
                .isInstanceOf(RuleViolation.class).hasMessageContaining("Endpoints key")
                .hasMessageContaining("129 characters; at most 128");
    }
}
