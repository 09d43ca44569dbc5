package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import dev.waymark.messaging.DeliverySettings;
import dev.waymark.server.ServerConfig;
import dev.waymark.wire.Json;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.pinpoint.model.ChannelType;
import software.amazon.awssdk.services.pinpoint.model.EndpointSendConfiguration;
import software.amazon.awssdk.services.pinpoint.model.MessageResponse;

/**
 * Each template type rendered from real endpoint data and delivered: email to GreenMail, SMS, voice and push to their
 * webhooks; the template version a send uses (a number, else the active version at send time); variables of every
 * root the endpoint has, with DefaultSubstitutions where the endpoint lacks one.
 */
class TemplateSendsEndToEndTest extends EndToEndTest {
    private static final String SECRET = "template-sends-webhook-secret";

    private GreenMail mail;
    private HttpServer receiver;
    /** Webhook bodies by path (/sms, /voice, /push). */
    private final Map<String, List<JsonNode>> hooks = new ConcurrentHashMap<>();

    @BeforeEach
    void startSendingServer() throws Exception {
        mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        mail.start();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                hooks.computeIfAbsent(exchange.getRequestURI().getPath(), path -> new CopyOnWriteArrayList<>())
                        .add(Json.MAPPER.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        String hook = "http://127.0.0.1:" + receiver.getAddress().getPort();
        waymark.close();
        DeliverySettings delivery = new DeliverySettings(
                Optional.of(URI.create("smtp://127.0.0.1:" + mail.getSmtp().getPort())),
                Optional.of(URI.create(hook + "/sms")), Optional.of(URI.create(hook + "/push")),
                Optional.of(URI.create(hook + "/voice")), Optional.of(SECRET), true, Optional.empty(),
                Duration.ofSeconds(10));
        waymark = WaymarkTestServer.start(TestDatabases.configure(ServerConfig.defaults(dataDir.resolve("sending"), 0),
                store).withDelivery(delivery));
        client = waymark.client();
    }

    @AfterEach
    void stopSinks() {
        mail.stop();
        receiver.stop(0);
    }

    private String appWithEveryChannel() {
        String app = createApp("template-sends");
        client.updateEmailChannel(r -> r.applicationId(app).emailChannelRequest(c -> c.fromAddress("news@example.com")
                .identity("arn:aws:ses:us-east-1:000000000000:identity/example.com").enabled(true)));
        client.updateSmsChannel(r -> r.applicationId(app).smsChannelRequest(c -> c.enabled(true)));
        client.updateVoiceChannel(r -> r.applicationId(app).voiceChannelRequest(c -> c.enabled(true)));
        client.updateGcmChannel(r -> r.applicationId(app).gcmChannelRequest(c -> c.apiKey("gcm-key").enabled(true)));
        return app;
    }

    /** An endpoint with a value under every variable root a template can name. */
    private void endpoint(String app, String id, ChannelType channel, String address, String firstName) {
        client.updateEndpoint(r -> r.applicationId(app).endpointId(id).endpointRequest(e -> e.channelType(channel)
                .address(address).attributes(Map.of("plan", List.of("pro", "trial")))
                .demographic(d -> d.platform("android").locale("fr_FR").timezone("Europe/Paris"))
                .location(l -> l.city("Paris").country("FR"))
                .metrics(Map.of("visits", 7.0))
                .user(u -> {
                    u.userId("user-" + id);
                    if (firstName != null) {
                        u.userAttributes(Map.of("FirstName", List.of(firstName)));
                    }
                })));
    }

    private String send(String app, String endpointId, java.util.function.Consumer<
            software.amazon.awssdk.services.pinpoint.model.MessageRequest.Builder> request) {
        MessageResponse response = client.sendMessages(r -> r.applicationId(app).messageRequest(m -> {
            m.endpoints(Map.of(endpointId, EndpointSendConfiguration.builder().build()));
            request.accept(m);
        })).messageResponse();
        return response.endpointResult().get(endpointId).deliveryStatusAsString();
    }

    @Test
    void anEmailTemplateVersionIsChosenByNumberElseTheActiveOneAtSendTime() throws Exception {
        String app = appWithEveryChannel();
        endpoint(app, "ada", ChannelType.EMAIL, "ada@example.com", "Ada");
        String name = "versions-" + app.substring(0, 8);
        client.createEmailTemplate(r -> r.templateName(name).emailTemplateRequest(t -> t
                .subject("v1 for {{User.UserAttributes.FirstName}}").textPart("first")));
        client.updateEmailTemplate(r -> r.templateName(name).createNewVersion(true).emailTemplateRequest(t -> t
                .subject("v2 for {{User.UserAttributes.FirstName}}").textPart("second")));

        assertThat(send(app, "ada", m -> m.templateConfiguration(c -> c.emailTemplate(t -> t.name(name)))
                .messageConfiguration(c -> c.emailMessage(e -> { })))).isEqualTo("SUCCESSFUL");
        assertThat(send(app, "ada", m -> m.templateConfiguration(c -> c.emailTemplate(t -> t.name(name)
                .version("2"))).messageConfiguration(c -> c.emailMessage(e -> { })))).isEqualTo("SUCCESSFUL");
        client.updateTemplateActiveVersion(r -> r.templateName(name).templateType("EMAIL")
                .templateActiveVersionRequest(v -> v.version("2")));
        assertThat(send(app, "ada", m -> m.templateConfiguration(c -> c.emailTemplate(t -> t.name(name)))
                .messageConfiguration(c -> c.emailMessage(e -> { })))).isEqualTo("SUCCESSFUL");
        assertThat(send(app, "ada", m -> m.templateConfiguration(c -> c.emailTemplate(t -> t.name(name)
                .version("1"))).messageConfiguration(c -> c.emailMessage(e -> { })))).isEqualTo("SUCCESSFUL");

        MimeMessage[] received = mail.getReceivedMessages();
        assertThat(received).extracting(MimeMessage::getSubject)
                .containsExactly("v1 for Ada", "v2 for Ada", "v2 for Ada", "v1 for Ada");
        assertThat(received[0].getFrom()[0].toString()).isEqualTo("news@example.com");
    }

    @Test
    void smsVoiceAndPushTemplatesRenderEveryRootOfTheEndpoint() {
        String app = appWithEveryChannel();
        endpoint(app, "sms-1", ChannelType.SMS, "+15550101", "Ada");
        endpoint(app, "voice-1", ChannelType.VOICE, "+15550102", null);
        endpoint(app, "push-1", ChannelType.GCM, "device-token-1", "Grace");
        String suffix = app.substring(0, 8);
        String everyRoot = "{{Id}}|{{Address}}|{{ChannelType}}|{{Attributes.plan}}|{{Attributes.plan.[1]}}|"
                + "{{Demographic.Platform}}|{{Location.City}}|{{Metrics.visits}}|{{User.UserId}}|"
                + "{{User.UserAttributes.FirstName}}|{{upper Location.Country}}";
        String defaults = "{\"User.UserAttributes.FirstName\":\"friend\"}";
        client.createSmsTemplate(r -> r.templateName("sms-" + suffix).smsTemplateRequest(t -> t.body(everyRoot)
                .defaultSubstitutions(defaults)));
        client.createVoiceTemplate(r -> r.templateName("voice-" + suffix).voiceTemplateRequest(t -> t.body(everyRoot)
                .languageCode("en-US").voiceId("Joanna").defaultSubstitutions(defaults)));
        client.createPushTemplate(r -> r.templateName("push-" + suffix).pushNotificationTemplateRequest(t -> t
                .defaultValue(d -> d.title("Hi {{User.UserAttributes.FirstName}}").body("default body"))
                .gcm(g -> g.body(everyRoot)).defaultSubstitutions(defaults)));

        assertThat(send(app, "sms-1", m -> m.templateConfiguration(c -> c.smsTemplate(t -> t.name("sms-" + suffix)))
                .messageConfiguration(c -> c.smsMessage(s -> s.messageType("TRANSACTIONAL")))))
                .isEqualTo("SUCCESSFUL");
        assertThat(send(app, "voice-1", m -> m.templateConfiguration(c -> c.voiceTemplate(t -> t
                .name("voice-" + suffix))).messageConfiguration(c -> c.voiceMessage(v -> { }))))
                .isEqualTo("SUCCESSFUL");
        assertThat(send(app, "push-1", m -> m.templateConfiguration(c -> c.pushTemplate(t -> t
                .name("push-" + suffix))).messageConfiguration(c -> c.gcmMessage(g -> { }))))
                .isEqualTo("SUCCESSFUL");

        // Metrics are numbers with a fraction, as GetEndpoint answers them (7.0).
        JsonNode sms = hooks.get("/sms").get(0);
        assertThat(sms.path("EndpointId").asText()).isEqualTo("sms-1");
        assertThat(sms.path("Message").path("Body").asText())
                .isEqualTo("sms-1|+15550101|SMS|pro|trial|android|Paris|7.0|user-sms-1|Ada|FR");
        JsonNode voice = hooks.get("/voice").get(0);
        // No FirstName on this endpoint: the template's DefaultSubstitutions fill it.
        assertThat(voice.path("Message").path("Body").asText())
                .isEqualTo("voice-1|+15550102|VOICE|pro|trial|android|Paris|7.0|user-voice-1|friend|FR");
        assertThat(voice.path("Message").path("VoiceId").asText()).isEqualTo("Joanna");
        JsonNode push = hooks.get("/push").get(0);
        assertThat(push.path("Message").path("Title").asText()).isEqualTo("Hi Grace");
        assertThat(push.path("Message").path("Body").asText())
                .isEqualTo("push-1|device-token-1|GCM|pro|trial|android|Paris|7.0|user-push-1|Grace|FR");
        assertThat(push.path("Address").asText()).isEqualTo("device-token-1");
    }
}
