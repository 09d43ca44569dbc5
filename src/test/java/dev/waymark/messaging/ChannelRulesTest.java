package dev.waymark.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.rules.RuleViolation;
import dev.waymark.wire.Json;
import dev.waymark.wire.ShapeReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules of Update*Channel requests: forms, bounds, the credentials push channels need, what is kept. */
class ChannelRulesTest {
    private static final String IDENTITY = "arn:aws:ses:us-east-1:123456789012:identity/example.com";
    private static final String CERTIFICATE = "-----BEGIN CERTIFICATE-----\\nMIIc\\n-----END CERTIFICATE-----";
    private static final String PRIVATE_KEY = "-----BEGIN RSA PRIVATE KEY-----\\nMIIk\\n-----END RSA PRIVATE KEY-----";
    private static final String TOKEN = "\"TokenKey\":\"p8\",\"TokenKeyId\":\"ABCDE12345\",\"TeamId\":\"TEAM123456\","
            + "\"BundleId\":\"com.example.app\"";

    /** The request read against the channel's shape, as the operation reads it, then checked. */
    private static ChannelUpdate check(ChannelKind kind, String json) {
        return ChannelRules.check(kind, ShapeReader.read(Json.parseStored(json), kind.request()));
    }

    private static void refused(ChannelKind kind, String json, String message) {
        assertThatThrownBy(() -> check(kind, json)).isInstanceOf(RuleViolation.class).hasMessageContaining(message);
    }

    private static String email(String from) {
        return "{\"FromAddress\":" + Json.MAPPER.valueToTree(from) + ",\"Identity\":\"" + IDENTITY + "\"}";
    }

    @Test
    void anEmailChannelKeepsItsMembersAndEnabledOnlyWhenSent() {
        ChannelUpdate update = check(ChannelKind.EMAIL, "{\"FromAddress\":\"news@example.com\",\"Identity\":\""
                + IDENTITY + "\",\"ConfigurationSet\":\"tracking_1\",\"RoleArn\":\"arn:aws:iam::123456789012:role/ev\","
                + "\"OrchestrationSendingRoleArn\":\"arn:aws:iam::123456789012:role/send\"}");
        assertThat(update.enabled()).isEmpty();
        assertThat(update.credentials()).isEmpty();
        assertThat(update.settings().properties()).extracting(Map.Entry::getKey).containsExactlyInAnyOrder(
                "FromAddress", "Identity", "ConfigurationSet", "RoleArn", "OrchestrationSendingRoleArn");
        assertThat(check(ChannelKind.EMAIL, email("a@example.com").replace("{", "{\"Enabled\":false,")).enabled())
                .contains(false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"news@example.com", "first.last+tag@mail.example.co.uk", "Waymark News <news@example.com>",
            "\"Quoted, Name\" <news@example.com>"})
    void plausibleFromAddressesAreAccepted(String from) {
        assertThat(check(ChannelKind.EMAIL, email(from)).settings().get("FromAddress").asText()).isEqualTo(from);
    }

    @ParameterizedTest
    @ValueSource(strings = {"news", "news@", "@example.com", "news@example", "two words@example.com",
            "a@b@example.com", "Name <news@example.com", "news@example..com"})
    void implausibleFromAddressesAreRefused(String from) {
        refused(ChannelKind.EMAIL, email(from), "FromAddress must be an email address");
    }

    @Test
    void aFromAddressIsBounded() {
        refused(ChannelKind.EMAIL, email("a".repeat(65) + "@example.com"), "FromAddress must be");
        refused(ChannelKind.EMAIL, email("a@" + "b".repeat(320) + ".com"), "FromAddress must be");
    }

    @Test
    void emailArnsAndConfigurationSetsHaveTheirForm() {
        refused(ChannelKind.EMAIL, "{\"FromAddress\":\"a@example.com\",\"Identity\":\"example.com\"}",
                "Identity must be the ARN of an Amazon SES identity");
        refused(ChannelKind.EMAIL, email("a@example.com").replace("}", ",\"ConfigurationSet\":\"has space\"}"),
                "ConfigurationSet must be");
        refused(ChannelKind.EMAIL, email("a@example.com").replace("}", ",\"RoleArn\":\"arn:aws:s3:::bucket\"}"),
                "RoleArn must be the ARN of an IAM role");
        refused(ChannelKind.EMAIL, email("a@example.com").replace("}", ",\"OrchestrationSendingRoleArn\":\"x\"}"),
                "OrchestrationSendingRoleArn must be");
    }

    @Test
    void emptyAndOversizedMembersAreRefusedByName() {
        refused(ChannelKind.EMAIL, email(" "), "FromAddress must not be empty");
        refused(ChannelKind.ADM, "{\"ClientId\":\"id\",\"ClientSecret\":\"\"}", "ClientSecret must not be empty");
        refused(ChannelKind.ADM, "{\"ClientId\":\"" + "i".repeat(ChannelRules.MAX_SETTING_CHARS + 1)
                + "\",\"ClientSecret\":\"s\"}", "ClientId must be at most 2048 characters");
        refused(ChannelKind.BAIDU, "{\"ApiKey\":\"k\",\"SecretKey\":\"" + "s".repeat(ChannelRules.MAX_SECRET_CHARS + 1)
                + "\"}", "SecretKey must be at most");
    }

    @Test
    void smsSenderIdsAndShortCodesHaveTheirForm() {
        assertThat(check(ChannelKind.SMS, "{\"SenderId\":\"Waymark1\",\"ShortCode\":\"+12065550100\"}").settings()
                .get("SenderId").asText()).isEqualTo("Waymark1");
        refused(ChannelKind.SMS, "{\"SenderId\":\"12345\"}", "SenderId must be 1 to 11 letters and digits");
        refused(ChannelKind.SMS, "{\"SenderId\":\"WaymarkSender\"}", "SenderId must be");
        refused(ChannelKind.SMS, "{\"SenderId\":\"Way mark\"}", "SenderId must be");
        refused(ChannelKind.SMS, "{\"ShortCode\":\"12a45\"}", "ShortCode must be");
        assertThat(check(ChannelKind.SMS, "{}").settings().isEmpty()).isTrue();
    }

    @Test
    void secretsLeaveOnlyTheirNames() {
        ChannelUpdate baidu = check(ChannelKind.BAIDU, "{\"ApiKey\":\"api-secret\",\"SecretKey\":\"secret-secret\"}");
        assertThat(baidu.credentials()).containsExactly("ApiKey", "SecretKey");
        assertThat(baidu.settings().isEmpty()).isTrue();
        ChannelUpdate adm = check(ChannelKind.ADM, "{\"ClientId\":\"client\",\"ClientSecret\":\"adm-secret\"}");
        assertThat(adm.credentials()).containsExactly("ClientSecret");
        assertThat(adm.settings().toString()).isEqualTo("{\"ClientId\":\"client\"}");
        ChannelUpdate apns = check(ChannelKind.APNS, "{\"Certificate\":\"" + CERTIFICATE + "\",\"PrivateKey\":\""
                + PRIVATE_KEY + "\"," + TOKEN + "}");
        assertThat(apns.credentials()).containsExactly("Certificate", "PrivateKey", "TokenKey");
        assertThat(apns.settings().toString()).doesNotContain("MIIc", "MIIk", "p8");
    }

    @Test
    void gcmNeedsTheCredentialOfItsAuthenticationMethod() {
        assertThat(check(ChannelKind.GCM, "{\"ApiKey\":\"k\"}").settings().get("DefaultAuthenticationMethod")
                .asText()).isEqualTo("KEY");
        ChannelUpdate token = check(ChannelKind.GCM, "{\"ServiceJson\":\"{\\\"type\\\":\\\"service_account\\\"}\"}");
        assertThat(token.settings().get("DefaultAuthenticationMethod").asText()).isEqualTo("TOKEN");
        assertThat(token.credentials()).containsExactly("ServiceJson");
        assertThat(check(ChannelKind.GCM, "{\"ApiKey\":\"k\",\"DefaultAuthenticationMethod\":\"key\"}").settings()
                .get("DefaultAuthenticationMethod").asText()).isEqualTo("KEY");
        refused(ChannelKind.GCM, "{\"Enabled\":false}", "Missing credentials");
        refused(ChannelKind.GCM, "{\"ApiKey\":\"k\",\"DefaultAuthenticationMethod\":\"TOKEN\"}",
                "ServiceJson is required when DefaultAuthenticationMethod is TOKEN");
        refused(ChannelKind.GCM, "{\"ServiceJson\":\"{}\",\"DefaultAuthenticationMethod\":\"KEY\"}",
                "ApiKey is required when DefaultAuthenticationMethod is KEY");
        refused(ChannelKind.GCM, "{\"ServiceJson\":\"[1]\"}", "ServiceJson must be the JSON object");
        refused(ChannelKind.GCM, "{\"ApiKey\":\"k\",\"DefaultAuthenticationMethod\":\"CERTIFICATE\"}",
                "DefaultAuthenticationMethod must be KEY or TOKEN");
    }

    @Test
    void apnsNeedsACertificateWithItsKeyOrACompleteToken() {
        for (ChannelKind kind : new ChannelKind[] {ChannelKind.APNS, ChannelKind.APNS_SANDBOX, ChannelKind.APNS_VOIP,
                ChannelKind.APNS_VOIP_SANDBOX}) {
            assertThat(check(kind, "{" + TOKEN + "}").settings().get("DefaultAuthenticationMethod").asText())
                    .isEqualTo("TOKEN");
            refused(kind, "{\"Enabled\":true,\"BundleId\":\"com.example.app\"}", "Missing credentials");
        }
        String certificate = "\"Certificate\":\"" + CERTIFICATE + "\"";
        String key = "\"PrivateKey\":\"" + PRIVATE_KEY + "\"";
        assertThat(check(ChannelKind.APNS, "{" + certificate + "," + key + "}").settings()
                .get("DefaultAuthenticationMethod").asText()).isEqualTo("CERTIFICATE");
        assertThat(check(ChannelKind.APNS, "{" + certificate + "," + key + "," + TOKEN
                + ",\"DefaultAuthenticationMethod\":\"token\"}").settings().get("DefaultAuthenticationMethod").asText())
                .isEqualTo("TOKEN");
        refused(ChannelKind.APNS, "{" + certificate + "}", "PrivateKey is required with Certificate");
        refused(ChannelKind.APNS, "{" + key + "}", "Certificate is required with PrivateKey");
        refused(ChannelKind.APNS, "{" + TOKEN.replace(",\"TeamId\":\"TEAM123456\"", "") + "}",
                "TeamId is required with TokenKey");
        refused(ChannelKind.APNS, "{" + TOKEN.replace("ABCDE12345", "short") + "}", "TokenKeyId must be");
        refused(ChannelKind.APNS, "{" + TOKEN.replace("com.example.app", "com example") + "}", "BundleId must be");
        refused(ChannelKind.APNS, "{\"Certificate\":\"MIIc\"," + key + "}", "Certificate must be PEM text");
        refused(ChannelKind.APNS, "{" + certificate + ",\"PrivateKey\":\"" + CERTIFICATE + "\"}",
                "PrivateKey must be PEM text");
        refused(ChannelKind.APNS, "{" + TOKEN + ",\"DefaultAuthenticationMethod\":\"CERTIFICATE\"}",
                "Certificate and PrivateKey are required when DefaultAuthenticationMethod is CERTIFICATE");
        refused(ChannelKind.APNS, "{" + certificate + "," + key + ",\"DefaultAuthenticationMethod\":\"TOKEN\"}",
                "TokenKey is required when DefaultAuthenticationMethod is TOKEN");
        refused(ChannelKind.APNS, "{" + certificate + "," + key + ",\"DefaultAuthenticationMethod\":\"KEY\"}",
                "DefaultAuthenticationMethod must be CERTIFICATE or TOKEN");
    }

    @Test
    void anUpdateReplacesWhatItSendsAndKeepsTheRest() {
        ObjectNode stored = (ObjectNode) Json.parseStored("{\"SenderId\":\"Old\",\"ShortCode\":\"12345\"}");
        ChannelUpdate update = check(ChannelKind.SMS, "{\"SenderId\":\"New\",\"Enabled\":false}");
        assertThat(update.settingsOver(stored).toString()).isEqualTo("{\"SenderId\":\"New\",\"ShortCode\":\"12345\"}");
        assertThat(stored.get("SenderId").asText()).as("the stored settings are not changed in place").isEqualTo("Old");
    }

    /** Each response answers the model's members: the common ones, its stored settings, its flags; never a secret. */
    @Test
    void responsesAnswerTheMembersOfTheModel() throws Exception {
        Path model = Path.of("..", "shared", "reference", "pinpoint-2016-12-01.smithy.json");
        Assumptions.assumeTrue(Files.exists(model), "the service model is not at " + model.toAbsolutePath());
        JsonNode shapes = Json.MAPPER.readTree(model.toFile()).get("shapes");
        for (ChannelKind kind : ChannelKind.values()) {
            Set<String> modelled = new TreeSet<>();
            shapes.path("com.amazonaws.pinpoint#" + kind.responseShape()).path("members").fieldNames()
                    .forEachRemaining(modelled::add);
            assertThat(modelled).as(kind.responseShape()).isNotEmpty();
            ObjectNode settings = Json.MAPPER.createObjectNode();
            kind.answered().forEach(member -> settings.put(member, "value"));
            StoredChannel channel = new StoredChannel("app", kind, true, settings, new TreeSet<>(kind.secrets()), 1,
                    java.time.Instant.EPOCH, java.time.Instant.EPOCH, java.util.Optional.of("AKID"));
            Set<String> answered = new TreeSet<>();
            ChannelsApi.response(channel).fieldNames().forEachRemaining(answered::add);
            // Credential (GCM's and Baidu's API key) is in the model, but a secret is never answered.
            Set<String> expected = new TreeSet<>(modelled);
            expected.remove("Credential");
            assertThat(answered).as(kind.name()).isEqualTo(expected);
        }
    }
}
