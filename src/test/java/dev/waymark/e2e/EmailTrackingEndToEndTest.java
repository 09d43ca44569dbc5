package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import dev.waymark.audience.EventRecord;
import dev.waymark.messaging.DeliverySettings;
import dev.waymark.server.ServerConfig;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.pinpoint.model.AddressConfiguration;
import software.amazon.awssdk.services.pinpoint.model.ChannelType;
import software.amazon.awssdk.services.pinpoint.model.EndpointSendConfiguration;
import software.amazon.awssdk.services.pinpoint.model.MessageResponse;

/**
 * Open and click tracking through the AWS SDK for Java and a real Waymark started with {@code --public-url}: emails
 * delivered to an in-process GreenMail carry rewritten links, a pixel and unsubscribe links; following them with a
 * plain HTTP client records opens, clicks and unsubscribes once per hour, moves the KPIs, and sets OptOut ALL.
 */
class EmailTrackingEndToEndTest extends EndToEndTest {
    private static final String FROM = "noreply@example.com";
    private static final String HTML = "<html><body><p>Hi {{Attributes.Name}}</p>"
            + "<a class=\"cta\" href=\"https://example.com/offer?a=1&amp;b=2\">Offer</a> "
            + "<A HREF='http://example.org/docs'>Docs</A> "
            + "<a href=\"javascript:alert(1)\">Script</a> <a href=\"mailto:help@example.com\">Mail us</a> "
            + "<a href=\"{{unsubscribeUrl}}\">Unsubscribe</a></body></html>";
    private GreenMail mail;
    private HttpServer receiver;
    private final List<String> smsBodies = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private String publicUrl;

    @BeforeEach
    void startTrackingServer() throws Exception {
        mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        mail.start();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/sms", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                smsBodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        receiver.start();
        restart(true);
    }

    /** A server that sends, with its own address as the public URL when {@code tracked}. */
    private void restart(boolean tracked) throws Exception {
        waymark.close();
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        publicUrl = "http://127.0.0.1:" + port;
        DeliverySettings delivery = new DeliverySettings(
                Optional.of(URI.create("smtp://127.0.0.1:" + mail.getSmtp().getPort())),
                Optional.of(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/sms")),
                Optional.empty(), Optional.empty(), Optional.of("a-webhook-secret-for-tests"), true,
                Optional.empty(), Duration.ofSeconds(10))
                .withPublicUrl(tracked ? Optional.of(URI.create(publicUrl + "/")) : Optional.empty(), true);
        waymark = WaymarkTestServer.start(TestDatabases.configure(ServerConfig.defaults(
                dataDir.resolve("tracking-" + port), port), store).withDelivery(delivery));
        client = waymark.client();
    }

    @AfterEach
    void stopSinks() {
        mail.stop();
        receiver.stop(0);
    }

    private String appWithEndpoint(String template, Map<String, String> tags) {
        String app = createApp("tracking");
        client.updateEmailChannel(r -> r.applicationId(app).emailChannelRequest(c -> c.fromAddress(FROM)
                .identity("arn:aws:ses:us-east-1:000000000000:identity/example.com").enabled(true)));
        client.updateSmsChannel(r -> r.applicationId(app).smsChannelRequest(c -> c.enabled(true)));
        client.createEmailTemplate(r -> r.templateName(template).emailTemplateRequest(t -> t.subject("News")
                .htmlPart(HTML).textPart("Offer: https://example.com/offer").tags(tags)));
        client.updateEndpoint(r -> r.applicationId(app).endpointId("ada").endpointRequest(e -> e
                .channelType(ChannelType.EMAIL).address("ada@example.com").attributes(Map.of("Name", List.of("Ada")))));
        return app;
    }

    private MimeMessage sendTemplate(String app, String template, int expectedMails) throws Exception {
        MessageResponse response = client.sendMessages(r -> r.applicationId(app).messageRequest(m -> m
                .endpoints(Map.of("ada", EndpointSendConfiguration.builder().build()))
                .messageConfiguration(c -> { })
                .templateConfiguration(t -> t.emailTemplate(e -> e.name(template))))).messageResponse();
        assertThat(response.endpointResult().get("ada").deliveryStatusAsString()).isEqualTo("SUCCESSFUL");
        assertThat(mail.waitForIncomingEmail(10_000, expectedMails)).isTrue();
        MimeMessage[] received = mail.getReceivedMessages();
        return received[received.length - 1];
    }

    @Test
    void opensAndClicksAreRecordedOncePerHourAndMoveTheKpis() throws Exception {
        String app = appWithEndpoint("news-" + store, Map.of());
        MimeMessage received = sendTemplate(app, "news-" + store, 1);
        String html = part(received, "text/html");
        assertThat(html).contains("Hi Ada").contains("href=\"javascript:alert(1)\"")
                .contains("href=\"mailto:help@example.com\"").doesNotContain("https://example.com/offer")
                .doesNotContain("http://example.org/docs");
        assertThat(part(received, "text/plain")).contains("Offer: https://example.com/offer");
        List<String> opens = tracked(html, "o");
        List<String> clicks = tracked(html, "c");
        assertThat(opens).hasSize(1);
        assertThat(html).contains("<img src=\"" + opens.get(0) + "\" width=\"1\" height=\"1\" alt=\"\"");
        assertThat(html.indexOf(opens.get(0))).isLessThan(html.indexOf("</body>"));
        assertThat(clicks).hasSize(2);
        assertThat(received.getHeader("List-Unsubscribe")[0]).matches("<" + Pattern.quote(publicUrl)
                + "/t/u/[A-Za-z0-9_-]+>");
        assertThat(received.getHeader("List-Unsubscribe-Post")[0]).isEqualTo("List-Unsubscribe=One-Click");

        for (int i = 0; i < 2; i++) {
            HttpResponse<byte[]> pixel = get(opens.get(0));
            assertThat(pixel.statusCode()).isEqualTo(200);
            assertThat(pixel.headers().firstValue("Content-Type")).contains("image/gif");
            assertThat(pixel.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(pixel.body()).hasSize(43);
            assertThat(new String(pixel.body(), 0, 6, StandardCharsets.US_ASCII)).isEqualTo("GIF89a");
            HttpResponse<byte[]> offer = get(clicks.get(0));
            assertThat(offer.statusCode()).isEqualTo(302);
            assertThat(offer.headers().firstValue("Location")).contains("https://example.com/offer?a=1&b=2");
            assertThat(get(clicks.get(1)).headers().firstValue("Location")).contains("http://example.org/docs");
        }
        List<EventRecord> events = events(app);
        assertThat(events.stream().filter(e -> e.eventType().equals("_email.open"))).hasSize(1);
        assertThat(events.stream().filter(e -> e.eventType().equals("_email.click"))
                .map(e -> e.attributes().get("link")))
                .containsExactlyInAnyOrder("https://example.com/offer?a=1&b=2", "http://example.org/docs");
        String messageId = events.stream().filter(e -> e.eventType().equals("_email.open")).findFirst().orElseThrow()
                .attributes().get("message_id");
        assertThat(events.stream().filter(e -> e.eventType().equals("_email.send")).findFirst().orElseThrow()
                .attributes().get("message_id")).isEqualTo(messageId);
        assertThat(kpi(app, "txn-emails-opened")).isEqualTo("1.0");
        assertThat(kpi(app, "txn-emails-clicked")).isEqualTo("2.0");

        // A token changed by one character, a made-up one, one of another kind: 404, nothing recorded.
        String token = clicks.get(0).substring(clicks.get(0).lastIndexOf('/') + 1);
        char last = token.charAt(token.length() / 2);
        String tampered = token.substring(0, token.length() / 2) + (last == 'A' ? 'B' : 'A')
                + token.substring(token.length() / 2 + 1);
        for (String bad : List.of(publicUrl + "/t/c/" + tampered, publicUrl + "/t/o/" + token,
                publicUrl + "/t/c/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                publicUrl + "/t/c/" + "A".repeat(5000))) {
            HttpResponse<byte[]> refused = get(bad);
            assertThat(refused.statusCode()).as(bad).isIn(404, 414, 431);
            assertThat(refused.headers().firstValue("Location")).isEmpty();
        }
        assertThat(events(app)).hasSize(events.size());
    }

    @Test
    void unsubscribeSetsOptOutAllAndIsRecorded() throws Exception {
        String app = appWithEndpoint("unsub-" + store, Map.of());
        MimeMessage received = sendTemplate(app, "unsub-" + store, 1);
        List<String> unsubscribes = tracked(part(received, "text/html"), "u");
        assertThat(unsubscribes).hasSize(1);
        // Following the link (as a mail scanner does) only shows a page whose button posts back.
        HttpResponse<byte[]> confirm = get(unsubscribes.get(0));
        assertThat(confirm.statusCode()).isEqualTo(200);
        assertThat(new String(confirm.body(), StandardCharsets.UTF_8)).contains("<form method=\"post\">");
        assertThat(client.getEndpoint(r -> r.applicationId(app).endpointId("ada")).endpointResponse().optOut())
                .isNotEqualTo("ALL");
        assertThat(events(app).stream().filter(e -> e.eventType().equals("_email.unsubscribe"))).isEmpty();
        HttpResponse<byte[]> page = http.send(HttpRequest.newBuilder(URI.create(unsubscribes.get(0)))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/html"));
        assertThat(new String(page.body(), StandardCharsets.UTF_8)).contains("You are unsubscribed");
        assertThat(client.getEndpoint(r -> r.applicationId(app).endpointId("ada")).endpointResponse().optOut())
                .isEqualTo("ALL");
        assertThat(events(app).stream().filter(e -> e.eventType().equals("_email.unsubscribe"))).hasSize(1);

        // One-click (RFC 8058): the mail client POSTs to the List-Unsubscribe URL.
        String header = received.getHeader("List-Unsubscribe")[0];
        HttpResponse<byte[]> oneClick = http.send(HttpRequest.newBuilder(URI.create(header.substring(1,
                        header.length() - 1))).POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click"))
                .header("Content-Type", "application/x-www-form-urlencoded").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(oneClick.statusCode()).isEqualTo(200);
        // An opted-out endpoint gets nothing more.
        MessageResponse again = client.sendMessages(r -> r.applicationId(app).messageRequest(m -> m
                .endpoints(Map.of("ada", EndpointSendConfiguration.builder().build()))
                .messageConfiguration(c -> { })
                .templateConfiguration(t -> t.emailTemplate(e -> e.name("unsub-" + store))))).messageResponse();
        assertThat(again.endpointResult().get("ada").deliveryStatusAsString()).isEqualTo("OPT_OUT");
    }

    @Test
    void aTemplateTaggedOffAnAddressAndSmsAreNeverRewritten() throws Exception {
        String app = appWithEndpoint("quiet-" + store, Map.of("waymark:tracking", "off"));
        String html = part(sendTemplate(app, "quiet-" + store, 1), "text/html");
        assertThat(html).contains("href=\"https://example.com/offer?a=1&amp;b=2\"")
                .contains("HREF='http://example.org/docs'").doesNotContain("/t/o/").doesNotContain("/t/c/");
        // The unsubscribe link the template asked for is still there.
        assertThat(tracked(html, "u")).hasSize(1);

        client.sendMessages(r -> r.applicationId(app).messageRequest(m -> m
                .addresses(Map.of("bob@example.com", AddressConfiguration.builder().channelType(ChannelType.EMAIL)
                        .build()))
                .messageConfiguration(c -> c.emailMessage(e -> e.simpleEmail(s -> s
                        .subject(p -> p.data("Raw")).htmlPart(p -> p.data("<a href=\"https://example.com/x\">x</a>")))))));
        assertThat(mail.waitForIncomingEmail(10_000, 2)).isTrue();
        assertThat(part(mail.getReceivedMessages()[1], "text/html")).isEqualTo("<a href=\"https://example.com/x\">x</a>");

        client.updateEndpoint(r -> r.applicationId(app).endpointId("phone").endpointRequest(e -> e
                .channelType(ChannelType.SMS).address("+15550100")));
        client.sendMessages(r -> r.applicationId(app).messageRequest(m -> m
                .endpoints(Map.of("phone", EndpointSendConfiguration.builder().build()))
                .messageConfiguration(c -> c.smsMessage(s -> s.body("See https://example.com/sms")))));
        assertThat(smsBodies).hasSize(1);
        assertThat(smsBodies.get(0)).contains("See https://example.com/sms").doesNotContain("/t/");
    }

    @Test
    void withoutAPublicUrlNothingIsRewritten() throws Exception {
        restart(false);
        String app = appWithEndpoint("plain-" + store, Map.of());
        MimeMessage received = sendTemplate(app, "plain-" + store, 1);
        String html = part(received, "text/html");
        assertThat(html).contains("href=\"https://example.com/offer?a=1&amp;b=2\"").doesNotContain("/t/")
                .contains("href=\"\">Unsubscribe");
        assertThat(received.getHeader("List-Unsubscribe")).isNull();
    }

    private HttpResponse<byte[]> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private List<String> tracked(String html, String kind) {
        List<String> urls = MimeParts.tracked(html, kind);
        assertThat(urls).allSatisfy(url -> assertThat(url).startsWith(publicUrl + "/t/"));
        return urls;
    }

    private List<EventRecord> events(String app) {
        return waymark.server().store().events().ofEndpoint(app, "ada", Instant.EPOCH, 100);
    }

    private String kpi(String app, String name) {
        return client.getApplicationDateRangeKpi(r -> r.applicationId(app).kpiName(name))
                .applicationDateRangeKpiResponse().kpiResult().rows().get(0).values().get(0).value();
    }

    /** The first part of {@code type} in a message, at any depth of its multiparts. */
    private static String part(Part message, String type) throws Exception {
        return MimeParts.part(message, type);
    }
}
