package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import dev.waymark.messaging.DeliverySettings;
import dev.waymark.server.ServerConfig;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.pinpoint.model.AddressConfiguration;
import software.amazon.awssdk.services.pinpoint.model.BadRequestException;
import software.amazon.awssdk.services.pinpoint.model.ChannelType;
import software.amazon.awssdk.services.pinpoint.model.EndpointMessageResult;
import software.amazon.awssdk.services.pinpoint.model.EndpointSendConfiguration;
import software.amazon.awssdk.services.pinpoint.model.MessageResponse;
import software.amazon.awssdk.services.pinpoint.model.MessageResult;
import software.amazon.awssdk.services.pinpoint.model.NotFoundException;

/**
 * SendMessages and SendUsersMessages through the AWS SDK for Java against a real Waymark that delivers email to an
 * in-process GreenMail and SMS to a local webhook receiver: what arrives, and each recipient's result.
 */
class SendMessagesEndToEndTest extends EndToEndTest {
    private static final String SECRET = "a-webhook-secret-for-tests";
    private static final String FROM = "noreply@example.com";
    /** The receiver answers 400 to any message for this number. */
    private static final String REFUSED_NUMBER = "+15550400";
    /** The receiver answers 503 (try again later) to any message for this number. */
    private static final String BUSY_NUMBER = "+15550503";

    private GreenMail mail;
    private HttpServer receiver;
    private final List<Hook> hooks = new CopyOnWriteArrayList<>();

    /** One webhook request as the receiver saw it. */
    private record Hook(Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .map(entry -> entry.getValue().get(0)).findFirst().orElse(null);
        }
    }

    @BeforeEach
    void startSendingServer() throws Exception {
        mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        mail.start();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/sms", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            hooks.add(new Hook(Map.copyOf(exchange.getRequestHeaders()), body));
            int status = body.contains(REFUSED_NUMBER) ? 400 : body.contains(BUSY_NUMBER) ? 503 : 200;
            byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        receiver.start();
        // The base class started a server without delivery; this one sends.
        waymark.close();
        DeliverySettings delivery = new DeliverySettings(
                Optional.of(URI.create("smtp://127.0.0.1:" + mail.getSmtp().getPort())),
                Optional.of(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/sms")),
                Optional.empty(), Optional.empty(), Optional.of(SECRET), true, Optional.empty(),
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

    private String appWithChannels() {
        String app = createApp("sends");
        client.updateEmailChannel(r -> r.applicationId(app).emailChannelRequest(c -> c.fromAddress(FROM)
                .identity("arn:aws:ses:us-east-1:000000000000:identity/example.com").enabled(true)));
        client.updateSmsChannel(r -> r.applicationId(app).smsChannelRequest(c -> c.enabled(true)));
        return app;
    }

    @Test
    void aRawEmailToAnAddressArrivesWithItsParts() throws Exception {
        String app = appWithChannels();
        MessageResponse response = client.sendMessages(r -> r.applicationId(app).messageRequest(m -> m
                .addresses(Map.of("ada@example.com", AddressConfiguration.builder().channelType(ChannelType.EMAIL)
                        .build()))
                .messageConfiguration(c -> c.emailMessage(e -> e.simpleEmail(s -> s
                        .subject(p -> p.data("Your receipt").charset("UTF-8"))
                        .htmlPart(p -> p.data("<h1>Thanks</h1>")).textPart(p -> p.data("Thanks")))))))
                .messageResponse();
        assertThat(response.applicationId()).isEqualTo(app);
        assertThat(response.requestId()).isNotBlank();
        MessageResult result = response.result().get("ada@example.com");
        assertThat(result.deliveryStatusAsString()).isEqualTo("SUCCESSFUL");
        assertThat(result.statusCode()).isEqualTo(200);
        assertThat(result.messageId()).isNotBlank();
        assertThat(mail.waitForIncomingEmail(10_000, 1)).isTrue();
        MimeMessage received = mail.getReceivedMessages()[0];
        assertThat(received.getSubject()).isEqualTo("Your receipt");
        assertThat(received.getFrom()[0].toString()).contains(FROM);
        assertThat(received.getAllRecipients()[0].toString()).isEqualTo("ada@example.com");
        assertThat(part(received, "text/html")).contains("<h1>Thanks</h1>");
        assertThat(part(received, "text/plain")).contains("Thanks");
    }

    @Test
    void aTemplateEmailIsRenderedFromEachEndpoint() throws Exception {
        String app = appWithChannels();
        client.createEmailTemplate(r -> r.templateName("welcome-" + store).emailTemplateRequest(t -> t
                .subject("Welcome {{User.UserAttributes.FirstName}}")
                .htmlPart("<p>Your plan: {{Attributes.Plan}}</p>")
                .textPart("Hello {{User.UserAttributes.FirstName}}, plan {{Attributes.Plan}}")
                .defaultSubstitutions("{\"User.UserAttributes.FirstName\": \"friend\"}")));
        client.updateEndpoint(r -> r.applicationId(app).endpointId("ada").endpointRequest(e -> e
                .channelType(ChannelType.EMAIL).address("ada@example.com").attributes(Map.of("Plan", List.of("pro")))
                .user(u -> u.userId("u-ada").userAttributes(Map.of("FirstName", List.of("Ada"))))));
        client.updateEndpoint(r -> r.applicationId(app).endpointId("bob").endpointRequest(e -> e
                .channelType(ChannelType.EMAIL).address("bob@example.com").attributes(Map.of("Plan", List.of("free")))));
        MessageResponse response = client.sendMessages(r -> r.applicationId(app).messageRequest(m -> m
                .endpoints(Map.of("ada", EndpointSendConfiguration.builder().build(),
                        "bob", EndpointSendConfiguration.builder().build()))
                .messageConfiguration(c -> { })
                .templateConfiguration(t -> t.emailTemplate(e -> e.name("welcome-" + store))))).messageResponse();
        assertThat(response.endpointResult()).containsOnlyKeys("ada", "bob");
        EndpointMessageResult ada = response.endpointResult().get("ada");
        assertThat(ada.deliveryStatusAsString()).isEqualTo("SUCCESSFUL");
        assertThat(ada.address()).isEqualTo("ada@example.com");
        assertThat(mail.waitForIncomingEmail(10_000, 2)).isTrue();
        Map<String, MimeMessage> byRecipient = new java.util.HashMap<>();
        for (MimeMessage message : mail.getReceivedMessages()) {
            byRecipient.put(message.getAllRecipients()[0].toString(), message);
        }
        assertThat(byRecipient.get("ada@example.com").getSubject()).isEqualTo("Welcome Ada");
        assertThat(part(byRecipient.get("ada@example.com"), "text/html")).contains("Your plan: pro");
        assertThat(byRecipient.get("bob@example.com").getSubject()).isEqualTo("Welcome friend");
        assertThat(part(byRecipient.get("bob@example.com"), "text/plain")).contains("Hello friend, plan free");
    }

    @Test
    void anSmsToAnAddressReachesTheWebhookSigned() throws Exception {
        String app = appWithChannels();
        MessageResponse response = client.sendMessages(r -> r.applicationId(app).messageRequest(m -> m
                .addresses(Map.of("+15550100", AddressConfiguration.builder().channelType(ChannelType.SMS)
                        .substitutions(Map.of("Code", List.of("123456"))).build()))
                .messageConfiguration(c -> c.smsMessage(s -> s.body("Your code is {{Code}}")
                        .messageType("TRANSACTIONAL"))))).messageResponse();
        MessageResult result = response.result().get("+15550100");
        assertThat(result.deliveryStatusAsString()).isEqualTo("SUCCESSFUL");
        assertThat(result.statusCode()).isEqualTo(200);
        assertThat(hooks).hasSize(1);
        Hook hook = hooks.get(0);
        assertThat(hook.body()).contains("Your code is 123456").contains("+15550100");
        assertThat(hook.header("Idempotency-Key")).isNotBlank();
        String signature = hook.header("Waymark-Signature");
        assertThat(signature).matches("t=\\d+,v1=[0-9a-f]{64}");
        String t = signature.substring(2, signature.indexOf(','));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal((t + "." + hook.body())
                .getBytes(StandardCharsets.UTF_8)));
        assertThat(signature).endsWith("v1=" + expected);
    }

    @Test
    void eachRecipientHasItsOwnOutcome() throws Exception {
        String app = appWithChannels();
        client.updateEndpoint(r -> r.applicationId(app).endpointId("ok").endpointRequest(e -> e
                .channelType(ChannelType.SMS).address("+15550101")));
        client.updateEndpoint(r -> r.applicationId(app).endpointId("out").endpointRequest(e -> e
                .channelType(ChannelType.SMS).address("+15550102").optOut("ALL")));
        client.updateEndpoint(r -> r.applicationId(app).endpointId("voice").endpointRequest(e -> e
                .channelType(ChannelType.VOICE).address("+15550103")));
        EndpointSendConfiguration plain = EndpointSendConfiguration.builder().build();
        MessageResponse response = client.sendMessages(r -> r.applicationId(app).messageRequest(m -> m
                .addresses(Map.of(REFUSED_NUMBER, AddressConfiguration.builder().channelType(ChannelType.SMS).build(),
                        BUSY_NUMBER, AddressConfiguration.builder().channelType(ChannelType.SMS).build()))
                .endpoints(Map.of("ok", plain, "out", plain, "voice", plain, "missing", plain))
                .messageConfiguration(c -> c.defaultMessage(d -> d.body("Hello"))))).messageResponse();
        Map<String, EndpointMessageResult> endpoints = response.endpointResult();
        assertThat(endpoints.get("ok").deliveryStatusAsString()).isEqualTo("SUCCESSFUL");
        assertThat(endpoints.get("out").deliveryStatusAsString()).isEqualTo("OPT_OUT");
        assertThat(endpoints.get("voice").deliveryStatusAsString()).isEqualTo("PERMANENT_FAILURE");
        assertThat(endpoints.get("voice").statusMessage()).contains("VOICE channel");
        assertThat(endpoints.get("missing").deliveryStatusAsString()).isEqualTo("PERMANENT_FAILURE");
        assertThat(endpoints.get("missing").statusCode()).isEqualTo(404);
        MessageResult refused = response.result().get(REFUSED_NUMBER);
        assertThat(refused.deliveryStatusAsString()).isEqualTo("PERMANENT_FAILURE");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.messageId()).isNotBlank();
        MessageResult busy = response.result().get(BUSY_NUMBER);
        assertThat(busy.deliveryStatusAsString()).isEqualTo("TEMPORARY_FAILURE");
        assertThat(busy.statusCode()).isEqualTo(503);
        assertThat(busy.statusMessage()).contains("retries");
        assertThat(hooks).extracting(Hook::body).anyMatch(body -> body.contains("+15550101"))
                .noneMatch(body -> body.contains("+15550102") || body.contains("+15550103"));
    }

    @Test
    void aUsersMessageGoesToEveryEndpointOfTheUser() throws Exception {
        String app = appWithChannels();
        client.updateEndpoint(r -> r.applicationId(app).endpointId("ada-mail").endpointRequest(e -> e
                .channelType(ChannelType.EMAIL).address("ada@example.com").user(u -> u.userId("ada"))));
        client.updateEndpoint(r -> r.applicationId(app).endpointId("ada-phone").endpointRequest(e -> e
                .channelType(ChannelType.SMS).address("+15550200").user(u -> u.userId("ada"))));
        var response = client.sendUsersMessages(r -> r.applicationId(app).sendUsersMessageRequest(m -> m
                .users(Map.of("ada", EndpointSendConfiguration.builder().titleOverride("News").build()))
                .messageConfiguration(c -> c.defaultMessage(d -> d.body("Something new"))))).sendUsersMessageResponse();
        assertThat(response.applicationId()).isEqualTo(app);
        assertThat(response.result()).containsOnlyKeys("ada");
        assertThat(response.result().get("ada")).containsOnlyKeys("ada-mail", "ada-phone");
        assertThat(response.result().get("ada").values()).extracting(EndpointMessageResult::deliveryStatusAsString)
                .containsOnly("SUCCESSFUL");
        assertThat(mail.waitForIncomingEmail(10_000, 1)).isTrue();
        assertThat(mail.getReceivedMessages()[0].getSubject()).isEqualTo("News");
        assertThat(hooks).extracting(Hook::body).anyMatch(body -> body.contains("Something new"));
    }

    @Test
    void limitsAndMissingTemplatesAreRefusedWhole() {
        String app = appWithChannels();
        Map<String, AddressConfiguration> many = new java.util.HashMap<>();
        for (int i = 0; i < 101; i++) {
            many.put("a" + i + "@example.com", AddressConfiguration.builder().channelType(ChannelType.EMAIL).build());
        }
        assertThatThrownBy(() -> client.sendMessages(r -> r.applicationId(app).messageRequest(m -> m.addresses(many)
                .messageConfiguration(c -> c.defaultMessage(d -> d.body("x"))))))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("at most 100 recipients");
        Map<String, EndpointSendConfiguration> users = new java.util.HashMap<>();
        for (int i = 0; i < 101; i++) {
            users.put("user" + i, EndpointSendConfiguration.builder().build());
        }
        assertThatThrownBy(() -> client.sendUsersMessages(r -> r.applicationId(app).sendUsersMessageRequest(m -> m
                .users(users).messageConfiguration(c -> c.defaultMessage(d -> d.body("x"))))))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("at most 100 users");
        assertThatThrownBy(() -> client.sendMessages(r -> r.applicationId(app).messageRequest(m -> m
                .addresses(Map.of("a@example.com", AddressConfiguration.builder().channelType(ChannelType.EMAIL)
                        .build()))
                .messageConfiguration(c -> { })
                .templateConfiguration(t -> t.emailTemplate(e -> e.name("no-such-template"))))))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("no-such-template");
        assertThatThrownBy(() -> client.sendMessages(r -> r.applicationId("0".repeat(32)).messageRequest(m -> m
                .addresses(Map.of("a@example.com", AddressConfiguration.builder().channelType(ChannelType.EMAIL)
                        .build()))
                .messageConfiguration(c -> c.defaultMessage(d -> d.body("x"))))))
                .isInstanceOf(NotFoundException.class);
        assertThat(mail.getReceivedMessages()).isEmpty();
    }

    /** The first part of {@code type} in a message, at any depth of its multiparts. */
    private static String part(Part message, String type) throws Exception {
        return MimeParts.part(message, type);
    }
}
