package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.waymark.messaging.ChannelState;
import dev.waymark.messaging.SqlChannelStore;
import dev.waymark.store.sql.SqlStore;
import dev.waymark.store.sql.SqlTransfer;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.pinpoint.model.APNSChannelResponse;
import software.amazon.awssdk.services.pinpoint.model.BadRequestException;
import software.amazon.awssdk.services.pinpoint.model.ChannelResponse;
import software.amazon.awssdk.services.pinpoint.model.EmailChannelResponse;
import software.amazon.awssdk.services.pinpoint.model.GCMChannelResponse;
import software.amazon.awssdk.services.pinpoint.model.NotFoundException;
import software.amazon.awssdk.services.pinpoint.model.SMSChannelResponse;

/**
 * The ten channels through the Java SDK: set, read, listed in GetChannels, deleted; versions; secrets never answered
 * nor stored; refusals naming the member; unknown apps; DeleteApp; what senders see; export and import.
 */
class ChannelsEndToEndTest extends EndToEndTest {
    private static final String IDENTITY = "arn:aws:ses:us-east-1:123456789012:identity/example.com";
    private static final String CERTIFICATE = "-----BEGIN CERTIFICATE-----\nMIIcertSECRETcert\n-----END CERTIFICATE-----";
    private static final String PRIVATE_KEY = "-----BEGIN PRIVATE KEY-----\nMIIkeySECRETkey\n-----END PRIVATE KEY-----";
    private static final String TOKEN_KEY = "-----BEGIN PRIVATE KEY-----\nMIGtokenSECRETtoken\n-----END PRIVATE KEY-----";
    private static final String SERVICE_JSON = "{\"type\":\"service_account\",\"private_key\":\"fcmSECRETfcm\"}";
    /** Every secret value the tests send; none may come back or reach the store. */
    private static final List<String> SECRETS = List.of("SECRETcert", "SECRETkey", "SECRETtoken", "fcmSECRETfcm",
            "gcmSECRETapikey", "baiduSECRETapikey", "baiduSECRETsecret", "admSECRETsecret");

    /** One channel's three operations through the SDK, each answering the channel response. */
    private record Operations(Function<String, SdkPojo> update, Function<String, SdkPojo> get,
                              Function<String, SdkPojo> delete) {}

    /** Every channel by its Platform, each updated with a valid request carrying its secrets. */
    private Map<String, Operations> channels() {
        Map<String, Operations> all = new LinkedHashMap<>();
        all.put("EMAIL", new Operations(
                app -> client.updateEmailChannel(r -> r.applicationId(app).emailChannelRequest(c -> c
                        .fromAddress("news@example.com").identity(IDENTITY).configurationSet("tracking")
                        .roleArn("arn:aws:iam::123456789012:role/events"))).emailChannelResponse(),
                app -> client.getEmailChannel(r -> r.applicationId(app)).emailChannelResponse(),
                app -> client.deleteEmailChannel(r -> r.applicationId(app)).emailChannelResponse()));
        all.put("SMS", new Operations(
                app -> client.updateSmsChannel(r -> r.applicationId(app).smsChannelRequest(c -> c.senderId("Waymark")
                        .shortCode("12345"))).smsChannelResponse(),
                app -> client.getSmsChannel(r -> r.applicationId(app)).smsChannelResponse(),
                app -> client.deleteSmsChannel(r -> r.applicationId(app)).smsChannelResponse()));
        all.put("VOICE", new Operations(
                app -> client.updateVoiceChannel(r -> r.applicationId(app).voiceChannelRequest(c -> c.enabled(true)))
                        .voiceChannelResponse(),
                app -> client.getVoiceChannel(r -> r.applicationId(app)).voiceChannelResponse(),
                app -> client.deleteVoiceChannel(r -> r.applicationId(app)).voiceChannelResponse()));
        all.put("GCM", new Operations(
                app -> client.updateGcmChannel(r -> r.applicationId(app).gcmChannelRequest(c -> c
                        .apiKey("gcmSECRETapikey").serviceJson(SERVICE_JSON).defaultAuthenticationMethod("token")))
                        .gcmChannelResponse(),
                app -> client.getGcmChannel(r -> r.applicationId(app)).gcmChannelResponse(),
                app -> client.deleteGcmChannel(r -> r.applicationId(app)).gcmChannelResponse()));
        all.put("APNS", new Operations(
                app -> client.updateApnsChannel(r -> r.applicationId(app).apnsChannelRequest(c -> c
                        .certificate(CERTIFICATE).privateKey(PRIVATE_KEY).tokenKey(TOKEN_KEY).tokenKeyId("ABCDE12345")
                        .teamId("TEAM123456").bundleId("com.example.app"))).apnsChannelResponse(),
                app -> client.getApnsChannel(r -> r.applicationId(app)).apnsChannelResponse(),
                app -> client.deleteApnsChannel(r -> r.applicationId(app)).apnsChannelResponse()));
        all.put("APNS_SANDBOX", new Operations(
                app -> client.updateApnsSandboxChannel(r -> r.applicationId(app).apnsSandboxChannelRequest(c -> c
                        .certificate(CERTIFICATE).privateKey(PRIVATE_KEY))).apnsSandboxChannelResponse(),
                app -> client.getApnsSandboxChannel(r -> r.applicationId(app)).apnsSandboxChannelResponse(),
                app -> client.deleteApnsSandboxChannel(r -> r.applicationId(app)).apnsSandboxChannelResponse()));
        all.put("APNS_VOIP", new Operations(
                app -> client.updateApnsVoipChannel(r -> r.applicationId(app).apnsVoipChannelRequest(c -> c
                        .tokenKey(TOKEN_KEY).tokenKeyId("ABCDE12345").teamId("TEAM123456").bundleId("com.example.app")))
                        .apnsVoipChannelResponse(),
                app -> client.getApnsVoipChannel(r -> r.applicationId(app)).apnsVoipChannelResponse(),
                app -> client.deleteApnsVoipChannel(r -> r.applicationId(app)).apnsVoipChannelResponse()));
        all.put("APNS_VOIP_SANDBOX", new Operations(
                app -> client.updateApnsVoipSandboxChannel(r -> r.applicationId(app).apnsVoipSandboxChannelRequest(c -> c
                        .certificate(CERTIFICATE).privateKey(PRIVATE_KEY).enabled(false)))
                        .apnsVoipSandboxChannelResponse(),
                app -> client.getApnsVoipSandboxChannel(r -> r.applicationId(app)).apnsVoipSandboxChannelResponse(),
                app -> client.deleteApnsVoipSandboxChannel(r -> r.applicationId(app))
                        .apnsVoipSandboxChannelResponse()));
        all.put("BAIDU", new Operations(
                app -> client.updateBaiduChannel(r -> r.applicationId(app).baiduChannelRequest(c -> c
                        .apiKey("baiduSECRETapikey").secretKey("baiduSECRETsecret"))).baiduChannelResponse(),
                app -> client.getBaiduChannel(r -> r.applicationId(app)).baiduChannelResponse(),
                app -> client.deleteBaiduChannel(r -> r.applicationId(app)).baiduChannelResponse()));
        all.put("ADM", new Operations(
                app -> client.updateAdmChannel(r -> r.applicationId(app).admChannelRequest(c -> c
                        .clientId("amzn1.application-oa2-client.1").clientSecret("admSECRETsecret")))
                        .admChannelResponse(),
                app -> client.getAdmChannel(r -> r.applicationId(app)).admChannelResponse(),
                app -> client.deleteAdmChannel(r -> r.applicationId(app)).admChannelResponse()));
        return all;
    }

    /** A member of an SDK response by its model name (the ten response classes share no interface but SdkPojo). */
    private static Object member(SdkPojo response, String name) {
        return response.sdkFields().stream().filter(field -> field.memberName().equals(name)).findFirst()
                .map(field -> ((SdkField<?>) field).getValueOrDefault(response)).orElseThrow();
    }

    @Test
    void everyChannelIsSetReadListedAndDeleted() {
        String app = createApp("channels");
        Map<String, Operations> channels = channels();
        assertThat(client.getChannels(r -> r.applicationId(app)).channelsResponse().channels()).isEmpty();
        for (Map.Entry<String, Operations> channel : channels.entrySet()) {
            String platform = channel.getKey();
            SdkPojo updated = channel.getValue().update().apply(app);
            assertThat(member(updated, "Platform")).as(platform).isEqualTo(platform);
            assertThat(member(updated, "ApplicationId")).isEqualTo(app);
            assertThat(member(updated, "Id")).isEqualTo(platform.toLowerCase(java.util.Locale.ROOT));
            assertThat(member(updated, "Version")).isEqualTo(1);
            assertThat(member(updated, "IsArchived")).isEqualTo(false);
            assertThat(member(updated, "Enabled")).as(platform).isEqualTo(!platform.equals("APNS_VOIP_SANDBOX"));
            assertThat(member(updated, "HasCredential")).as(platform)
                    .isEqualTo(!List.of("EMAIL", "SMS", "VOICE").contains(platform));
            assertThat(member(updated, "LastModifiedBy")).isEqualTo(WaymarkTestServer.ACCESS_KEY);
            assertThat(Instant.parse((String) member(updated, "CreationDate"))).isEqualTo(
                    Instant.parse((String) member(updated, "LastModifiedDate")));
            assertThat(channel.getValue().get().apply(app)).as(platform).isEqualTo(updated);
        }
        Map<String, ChannelResponse> listed = client.getChannels(r -> r.applicationId(app)).channelsResponse()
                .channels();
        assertThat(listed).containsOnlyKeys(channels.keySet());
        assertThat(listed.get("GCM").version()).isEqualTo(1);
        assertThat(listed.get("GCM").hasCredential()).isTrue();
        assertThat(listed.get("APNS_VOIP_SANDBOX").enabled()).isFalse();
        assertThat(listed.get("EMAIL").applicationId()).isEqualTo(app);
        for (Map.Entry<String, Operations> channel : channels.entrySet()) {
            SdkPojo before = channel.getValue().get().apply(app);
            assertThat(channel.getValue().delete().apply(app)).as(channel.getKey()).isEqualTo(before);
            assertThatThrownBy(() -> channel.getValue().get().apply(app)).isInstanceOf(NotFoundException.class)
                    .hasMessageContaining(channel.getKey()).hasMessageContaining(app);
            assertThatThrownBy(() -> channel.getValue().delete().apply(app)).isInstanceOf(NotFoundException.class);
        }
        assertThat(client.getChannels(r -> r.applicationId(app)).channelsResponse().channels()).isEmpty();
    }

    @Test
    void eachUpdateCountsAVersionAndKeepsWhatItLeavesOut() {
        String app = createApp("versions");
        SMSChannelResponse first = client.updateSmsChannel(r -> r.applicationId(app).smsChannelRequest(c -> c
                .senderId("Waymark"))).smsChannelResponse();
        assertThat(first.promotionalMessagesPerSecond()).isEqualTo(20);
        SMSChannelResponse second = client.updateSmsChannel(r -> r.applicationId(app).smsChannelRequest(c -> c
                .enabled(false))).smsChannelResponse();
        assertThat(second.version()).isEqualTo(2);
        assertThat(second.enabled()).isFalse();
        assertThat(second.senderId()).isEqualTo("Waymark");
        assertThat(second.creationDate()).isEqualTo(first.creationDate());
        SMSChannelResponse third = client.updateSmsChannel(r -> r.applicationId(app).smsChannelRequest(c -> c
                .shortCode("55555"))).smsChannelResponse();
        assertThat(third.version()).isEqualTo(3);
        // Enabled left out keeps its value; only a new channel starts enabled.
        assertThat(third.enabled()).isFalse();
        assertThat(third.shortCode()).isEqualTo("55555");
        assertThat(client.getSmsChannel(r -> r.applicationId(app)).smsChannelResponse()).isEqualTo(third);

        EmailChannelResponse email = client.updateEmailChannel(r -> r.applicationId(app).emailChannelRequest(c -> c
                .fromAddress("Waymark News <news@example.com>").identity(IDENTITY))).emailChannelResponse();
        assertThat(email.fromAddress()).isEqualTo("Waymark News <news@example.com>");
        assertThat(email.identity()).isEqualTo(IDENTITY);
        assertThat(email.messagesPerSecond()).isEqualTo(1);
        assertThat(email.version()).isEqualTo(1);
        // Deleted and set again, a channel starts over.
        client.deleteSmsChannel(r -> r.applicationId(app));
        assertThat(client.updateSmsChannel(r -> r.applicationId(app).smsChannelRequest(c -> c.senderId("Again")))
                .smsChannelResponse()).satisfies(sms -> assertThat(sms.version()).isEqualTo(1))
                .satisfies(sms -> assertThat(sms.enabled()).isTrue())
                .satisfies(sms -> assertThat(sms.shortCode()).isNull());
    }

    @Test
    void secretsAreNeverAnsweredNorStored() throws Exception {
        String app = createApp("secrets");
        Map<String, Operations> channels = channels();
        channels.values().forEach(channel -> channel.update().apply(app));
        GCMChannelResponse gcm = client.getGcmChannel(r -> r.applicationId(app)).gcmChannelResponse();
        assertThat(gcm.credential()).isNull();
        assertThat(gcm.hasFcmServiceCredentials()).isTrue();
        assertThat(gcm.defaultAuthenticationMethod()).isEqualTo("TOKEN");
        APNSChannelResponse apns = client.getApnsChannel(r -> r.applicationId(app)).apnsChannelResponse();
        assertThat(apns.hasTokenKey()).isTrue();
        assertThat(apns.hasCredential()).isTrue();
        assertThat(apns.defaultAuthenticationMethod()).isEqualTo("CERTIFICATE");
        assertThat(client.getApnsSandboxChannel(r -> r.applicationId(app)).apnsSandboxChannelResponse()
                .hasTokenKey()).isFalse();
        assertThat(client.getApnsVoipChannel(r -> r.applicationId(app)).apnsVoipChannelResponse()
                .defaultAuthenticationMethod()).isEqualTo("TOKEN");
        assertThat(client.getBaiduChannel(r -> r.applicationId(app)).baiduChannelResponse().credential()).isNull();

        String base = waymark.endpoint().toString();
        StringBuilder answers = new StringBuilder();
        answers.append(SignedHttp.send(base, "GET", "/v1/apps/" + app + "/channels", null).body());
        for (String path : List.of("email", "sms", "voice", "gcm", "apns", "apns_sandbox", "apns_voip",
                "apns_voip_sandbox", "baidu", "adm")) {
            HttpResponse<String> got = SignedHttp.send(base, "GET", "/v1/apps/" + app + "/channels/" + path, null);
            assertThat(got.statusCode()).as(path).isEqualTo(200);
            answers.append(got.body());
        }
        HttpResponse<String> put = SignedHttp.send(base, "PUT", "/v1/apps/" + app + "/channels/baidu",
                "{\"ApiKey\":\"baiduSECRETapikey\",\"SecretKey\":\"baiduSECRETsecret\"}");
        assertThat(put.statusCode()).isEqualTo(200);
        answers.append(put.body());
        assertThat(answers.toString()).contains("\"Platform\":\"BAIDU\"").doesNotContain("\"Credential\"")
                .doesNotContain("SECRET");
        // Nor does the store keep them: an export holds every stored byte of the channels.
        ByteArrayOutputStream export = new ByteArrayOutputStream();
        SqlTransfer.export(sqlStore(), export, () -> { });
        String exported = export.toString(StandardCharsets.UTF_8);
        assertThat(exported).contains("\"table\":\"channels\"").contains("ABCDE12345");
        SECRETS.forEach(secret -> assertThat(exported).doesNotContain(secret));
    }

    @Test
    void requiredAndMalformedMembersAreRefusedNamingTheMember() {
        String app = createApp("refusals");
        refused(() -> client.updateEmailChannel(r -> r.applicationId(app).emailChannelRequest(c -> c
                .identity(IDENTITY))), "FromAddress is required");
        refused(() -> client.updateEmailChannel(r -> r.applicationId(app).emailChannelRequest(c -> c
                .fromAddress("news@example.com"))), "Identity is required");
        refused(() -> client.updateEmailChannel(r -> r.applicationId(app).emailChannelRequest(c -> c
                .fromAddress("not an address").identity(IDENTITY))), "FromAddress must be an email address");
        refused(() -> client.updateEmailChannel(r -> r.applicationId(app).emailChannelRequest(c -> c
                .fromAddress("news@example.com").identity("example.com"))), "Identity must be the ARN");
        refused(() -> client.updateEmailChannel(r -> r.applicationId(app).emailChannelRequest(c -> c
                .fromAddress("news@example.com").identity(IDENTITY).roleArn("role"))), "RoleArn must be");
        refused(() -> client.updateSmsChannel(r -> r.applicationId(app).smsChannelRequest(c -> c
                .senderId("FarTooLongSender"))), "SenderId must be");
        refused(() -> client.updateBaiduChannel(r -> r.applicationId(app).baiduChannelRequest(c -> c
                .apiKey("key"))), "SecretKey is required");
        refused(() -> client.updateBaiduChannel(r -> r.applicationId(app).baiduChannelRequest(c -> c
                .apiKey(" ").secretKey("secret"))), "ApiKey must not be empty");
        refused(() -> client.updateAdmChannel(r -> r.applicationId(app).admChannelRequest(c -> c
                .clientSecret("secret"))), "ClientId is required");
        refused(() -> client.updateAdmChannel(r -> r.applicationId(app).admChannelRequest(c -> c
                .clientId("id"))), "ClientSecret is required");
        refused(() -> client.updateApnsChannel(r -> r.applicationId(app).apnsChannelRequest(c -> c
                .enabled(false))), "Missing credentials");
        refused(() -> client.updateApnsSandboxChannel(r -> r.applicationId(app).apnsSandboxChannelRequest(c -> c
                .certificate(CERTIFICATE))), "PrivateKey is required with Certificate");
        refused(() -> client.updateApnsVoipChannel(r -> r.applicationId(app).apnsVoipChannelRequest(c -> c
                .tokenKey(TOKEN_KEY).teamId("TEAM123456").bundleId("com.example.app"))),
                "TokenKeyId is required with TokenKey");
        refused(() -> client.updateApnsChannel(r -> r.applicationId(app).apnsChannelRequest(c -> c
                .certificate("not pem").privateKey(PRIVATE_KEY))), "Certificate must be PEM");
        refused(() -> client.updateGcmChannel(r -> r.applicationId(app).gcmChannelRequest(c -> c
                .enabled(true))), "Missing credentials");
        refused(() -> client.updateGcmChannel(r -> r.applicationId(app).gcmChannelRequest(c -> c
                .apiKey("key").defaultAuthenticationMethod("TOKEN"))), "ServiceJson is required");
        refused(() -> client.updateGcmChannel(r -> r.applicationId(app).gcmChannelRequest(c -> c
                .serviceJson("not json"))), "ServiceJson must be");
        refused(() -> client.updateGcmChannel(r -> r.applicationId(app).gcmChannelRequest(c -> c
                .apiKey("key").defaultAuthenticationMethod("PASSWORD"))), "DefaultAuthenticationMethod must be");
        // Nothing refused was stored.
        assertThat(client.getChannels(r -> r.applicationId(app)).channelsResponse().channels()).isEmpty();
    }

    private static void refused(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(BadRequestException.class).hasMessageContaining(message);
    }

    @Test
    void anUnknownAppIsNotFound() {
        List<ThrowingCallable> calls = List.of(
                () -> client.getChannels(r -> r.applicationId("noapp")),
                () -> client.getEmailChannel(r -> r.applicationId("noapp")),
                () -> client.deleteEmailChannel(r -> r.applicationId("noapp")),
                () -> client.updateVoiceChannel(r -> r.applicationId("noapp").voiceChannelRequest(c -> c.enabled(true))),
                () -> client.updateEmailChannel(r -> r.applicationId("noapp").emailChannelRequest(c -> c
                        .fromAddress("news@example.com").identity(IDENTITY))));
        for (ThrowingCallable call : calls) {
            assertThatThrownBy(call).isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("Application 'noapp' not found");
        }
    }

    @Test
    void sendersSeeChangesAtOnceAndDeletingAnAppDeletesItsChannels() {
        String app = createApp("doomed");
        String other = createApp("kept");
        SqlChannelStore lookup = sqlStore().channels();
        assertThat(lookup.find(app, "EMAIL")).isEmpty();
        client.updateEmailChannel(r -> r.applicationId(app).emailChannelRequest(c -> c
                .fromAddress("news@example.com").identity(IDENTITY).configurationSet("tracking")));
        ChannelState email = lookup.find(app, "EMAIL").orElseThrow();
        assertThat(email.enabled()).isTrue();
        assertThat(email.settings().path("FromAddress").asText()).isEqualTo("news@example.com");
        assertThat(email.settings().path("ConfigurationSet").asText()).isEqualTo("tracking");
        client.updateEmailChannel(r -> r.applicationId(app).emailChannelRequest(c -> c.enabled(false)
                .fromAddress("other@example.com").identity(IDENTITY)));
        assertThat(lookup.find(app, "EMAIL").orElseThrow()).satisfies(state -> assertThat(state.enabled()).isFalse())
                .satisfies(state -> assertThat(state.settings().path("FromAddress").asText())
                        .isEqualTo("other@example.com"));
        assertThat(lookup.find(app, "NOT_A_CHANNEL")).isEmpty();

        channels().values().forEach(channel -> {
            channel.update().apply(app);
            channel.update().apply(other);
        });
        client.deleteApp(r -> r.applicationId(app));
        assertThat(sqlStore().channels().list(app)).isEmpty();
        assertThat(sqlStore().channels().list(other)).hasSize(10);
        assertThatThrownBy(() -> client.getChannels(r -> r.applicationId(app))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void anOversizedBodyIsRefusedBeforeItIsRead() throws Exception {
        String app = createApp("big");
        String huge = "{\"ApiKey\":\"" + "k".repeat(70 * 1024) + "\",\"SecretKey\":\"s\"}";
        HttpResponse<String> response = SignedHttp.send(waymark.endpoint().toString(), "PUT",
                "/v1/apps/" + app + "/channels/baidu", huge);
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void exportAndImportCarryChannels() {
        String app = createApp("moved");
        client.updateSmsChannel(r -> r.applicationId(app).smsChannelRequest(c -> c.senderId("Waymark")));
        client.updateSmsChannel(r -> r.applicationId(app).smsChannelRequest(c -> c.enabled(false)));
        client.updateApnsChannel(r -> r.applicationId(app).apnsChannelRequest(c -> c.tokenKey(TOKEN_KEY)
                .tokenKeyId("ABCDE12345").teamId("TEAM123456").bundleId("com.example.app")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SqlTransfer.export(sqlStore(), out, () -> { });
        try (SqlStore copy = SqlStore.open("jdbc:sqlite:" + dataDir.resolve("copy.db"))) {
            SqlTransfer.importFrom(copy, new BufferedReader(new StringReader(out.toString(StandardCharsets.UTF_8))),
                    () -> { });
            assertThat(copy.channels().read(app, dev.waymark.messaging.ChannelKind.SMS).orElseThrow())
                    .satisfies(sms -> assertThat(sms.version()).isEqualTo(2))
                    .satisfies(sms -> assertThat(sms.enabled()).isFalse())
                    .satisfies(sms -> assertThat(sms.settings().path("SenderId").asText()).isEqualTo("Waymark"));
            assertThat(copy.channels().read(app, dev.waymark.messaging.ChannelKind.APNS).orElseThrow().credentials())
                    .containsExactly("TokenKey");
        }
    }

    private SqlStore sqlStore() {
        return (SqlStore) waymark.server().store();
    }
}
