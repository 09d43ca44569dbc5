package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import dev.waymark.messaging.DeliverySettings;
import dev.waymark.server.ServerConfig;
import dev.waymark.wire.Json;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.services.pinpoint.model.JourneyRunResponse;
import software.amazon.awssdk.services.pinpoint.model.State;
import software.amazon.awssdk.services.pinpoint.model.WriteJourneyRequest;

/**
 * The base of the journey engine's end-to-end tests: a Waymark that delivers (SMTP to an in-process GreenMail, SMS
 * to a local webhook, CUSTOM to a local receiver over http, tracking links under its own address), an app with both
 * channels and a template for each, and the reads the tests poll (metrics, runs, state) with a deadline.
 */
abstract class EngineEndToEndTest extends EndToEndTest {
    static final String FROM = "journeys@example.com";
    static final String EMAIL_TEMPLATE = "journey-mail";
    static final String SMS_TEMPLATE = "journey-sms";
    /** Tracking URLs as EmailTracking writes them: open pixel (o), click (c), unsubscribe (u). */
    GreenMail mail;
    private HttpServer receiver;
    /** What the SMS webhook and the CUSTOM receiver got, in arrival order. */
    final List<Hook> smsHooks = new CopyOnWriteArrayList<>();
    final List<Hook> customHooks = new CopyOnWriteArrayList<>();
    /** What the refusing CUSTOM receiver got: it answers 400 (a permanent failure). */
    final List<Hook> refusedHooks = new CopyOnWriteArrayList<>();
    /** The status the SMS webhook answers (503: a transient failure the outbox retries). */
    final AtomicInteger smsAnswer = new AtomicInteger(200);
    String publicUrl;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** One webhook request as a receiver saw it, with the time it arrived. */
    record Hook(Map<String, List<String>> headers, String body, Instant at) {
        String header(String name) {
            return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .map(entry -> entry.getValue().get(0)).findFirst().orElse(null);
        }

        JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("a webhook body that is not JSON: " + body, e);
            }
        }
    }

    @BeforeEach
    void startDeliveringWaymark() throws Exception {
        mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        mail.start();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/sms", exchange -> receive(exchange, smsHooks, smsAnswer.get()));
        receiver.createContext("/custom", exchange -> receive(exchange, customHooks, 200));
        receiver.createContext("/refuse", exchange -> receive(exchange, refusedHooks, 400));
        receiver.start();
        // The base class started a server without delivery; this one sends, and tracks under its own address.
        waymark.close();
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        publicUrl = "http://127.0.0.1:" + port;
        DeliverySettings delivery = new DeliverySettings(
                Optional.of(URI.create("smtp://127.0.0.1:" + mail.getSmtp().getPort())),
                Optional.of(URI.create(receiverUrl() + "/sms")),
                Optional.empty(), Optional.empty(), Optional.of("a-webhook-secret-for-tests"), true,
                Optional.empty(), Duration.ofSeconds(10))
                .withPublicUrl(Optional.of(URI.create(publicUrl + "/")), true);
        waymark = WaymarkTestServer.start(TestDatabases.configure(ServerConfig.defaults(
                dataDir.resolve("engine-" + port), port), store).withDelivery(delivery));
        client = waymark.client();
    }

    private static void receive(com.sun.net.httpserver.HttpExchange exchange, List<Hook> into, int status)
            throws java.io.IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        into.add(new Hook(Map.copyOf(exchange.getRequestHeaders()), body, Instant.now()));
        byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    @AfterEach
    void stopSinks() {
        mail.stop();
        receiver.stop(0);
    }

    String receiverUrl() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort();
    }

    /** The CUSTOM activities' DeliveryUri (http: the server runs with --allow-http-delivery). */
    String customUri() {
        return receiverUrl() + "/custom";
    }

    /**
     * A new app with its email and SMS channels on, the {@code everyone} segment, and the two templates: the email
     * names the plan in its subject and has one link (so that clicks can be tracked); the SMS names the plan too.
     */
    String appWithChannels(String name) {
        String app = createApp(name);
        client.updateEmailChannel(r -> r.applicationId(app).emailChannelRequest(c -> c.fromAddress(FROM)
                .identity("arn:aws:ses:us-east-1:000000000000:identity/example.com").enabled(true)));
        client.updateSmsChannel(r -> r.applicationId(app).smsChannelRequest(c -> c.enabled(true)));
        client.createEmailTemplate(r -> r.templateName(EMAIL_TEMPLATE).emailTemplateRequest(t -> t
                .subject("Hello {{Attributes.plan}}")
                .htmlPart("<html><body><p>Hi {{Id}}</p><a href=\"https://example.com/offer\">Offer</a></body></html>")
                .textPart("Hi {{Id}}: https://example.com/offer")));
        client.createSmsTemplate(r -> r.templateName(SMS_TEMPLATE).smsTemplateRequest(t -> t
                .body("Plan {{Attributes.plan}} for {{Id}}")));
        return app;
    }

    /** Creates the journey as a draft and publishes it with UpdateJourneyState ACTIVE; its id. */
    String publish(String app, WriteJourneyRequest journey) {
        String id = client.createJourney(r -> r.applicationId(app).writeJourneyRequest(journey.toBuilder()
                .state("DRAFT").build())).journeyResponse().id();
        setState(app, id, State.ACTIVE);
        return id;
    }

    void setState(String app, String journey, State state) {
        client.updateJourneyState(r -> r.applicationId(app).journeyId(journey).journeyStateRequest(s -> s.state(state)));
    }

    State state(String app, String journey) {
        return client.getJourney(r -> r.applicationId(app).journeyId(journey)).journeyResponse().state();
    }

    /** Waits until the journey is in {@code expected}; fails with the state it is in after {@code timeout}. */
    void awaitState(String app, String journey, State expected, Duration timeout) {
        await("the state of journey " + journey, timeout, () -> state(app, journey), state -> state == expected);
    }

    List<JourneyRunResponse> runs(String app, String journey) {
        return client.getJourneyRuns(r -> r.applicationId(app).journeyId(journey)).journeyRunsResponse().item();
    }

    /** The id of the journey's first run, once it exists. */
    String firstRun(String app, String journey) {
        return await("a run of " + journey, Duration.ofSeconds(10), () -> runs(app, journey), runs -> !runs.isEmpty())
                .get(0).runId();
    }

    Map<String, String> journeyMetrics(String app, String journey) {
        return client.getJourneyExecutionMetrics(r -> r.applicationId(app).journeyId(journey))
                .journeyExecutionMetricsResponse().metrics();
    }

    Map<String, String> runMetrics(String app, String journey, String run) {
        return client.getJourneyRunExecutionMetrics(r -> r.applicationId(app).journeyId(journey).runId(run))
                .journeyRunExecutionMetricsResponse().metrics();
    }

    Map<String, String> activityMetrics(String app, String journey, String activity) {
        return client.getJourneyExecutionActivityMetrics(r -> r.applicationId(app).journeyId(journey)
                .journeyActivityId(activity)).journeyExecutionActivityMetricsResponse().metrics();
    }

    Map<String, String> runActivityMetrics(String app, String journey, String run, String activity) {
        return client.getJourneyRunExecutionActivityMetrics(r -> r.applicationId(app).journeyId(journey).runId(run)
                .journeyActivityId(activity)).journeyRunExecutionActivityMetricsResponse().metrics();
    }

    /** A metric as a number, 0 when absent. */
    static long metric(Map<String, String> metrics, String key) {
        return Long.parseLong(metrics.getOrDefault(key, "0"));
    }

    /**
     * The metric map the tests expect: each key with its count as a decimal string, keys counted 0 left out (a key
     * never counted is absent) unless listed in {@code gauges} (counted up and back down: present as "0").
     */
    static Map<String, String> expected(Map<String, Long> counts, String... gauges) {
        Map<String, String> metrics = new LinkedHashMap<>();
        counts.forEach((key, value) -> {
            if (value != 0 || List.of(gauges).contains(key)) {
                metrics.put(key, Long.toString(value));
            }
        });
        return metrics;
    }

    /** Polls {@code read} until it equals {@code expected} or {@code timeout} passes, then asserts the equality. */
    static void awaitEqual(String what, Duration timeout, Supplier<Map<String, String>> read,
                           Map<String, String> expected) {
        Map<String, String> last = await(what, timeout, read, expected::equals, false);
        assertThat(last).as(what).containsExactlyInAnyOrderEntriesOf(expected);
    }

    /** Polls {@code read} every 100 ms until {@code done} holds; fails naming {@code what} after {@code timeout}. */
    static <T> T await(String what, Duration timeout, Supplier<T> read, Predicate<T> done) {
        return await(what, timeout, read, done, true);
    }

    private static <T> T await(String what, Duration timeout, Supplier<T> read, Predicate<T> done, boolean fail) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = read.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                if (fail) {
                    throw new AssertionError("after " + timeout + ", " + what + " is still " + last);
                }
                return last;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
            last = read.get();
        }
        return last;
    }

    /** Every email GreenMail has received so far. */
    List<MimeMessage> emails() {
        return List.of(mail.getReceivedMessages());
    }

    /** The one recipient of a received email. */
    static String recipient(MimeMessage message) {
        try {
            assertThat(message.getAllRecipients()).hasSize(1);
            return message.getAllRecipients()[0].toString();
        } catch (jakarta.mail.MessagingException e) {
            throw new AssertionError(e);
        }
    }

    /** The first part of {@code type} in a message, at any depth of its multiparts. */
    static String part(Part message, String type) throws Exception {
        return MimeParts.part(message, type);
    }

    /** The tracking URLs of one kind (o, c or u) in an email's HTML. */
    List<String> tracked(String html, String kind) {
        List<String> urls = MimeParts.tracked(html, kind);
        assertThat(urls).allSatisfy(url -> assertThat(url).startsWith(publicUrl + "/t/"));
        return urls;
    }

    HttpResponse<byte[]> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A journey email KPI's value ("3.0"), or null when no event is in its range (Rows: []). */
    String journeyKpi(String app, String journey, String kpi) {
        var rows = client.getJourneyDateRangeKpi(r -> r.applicationId(app).journeyId(journey).kpiName(kpi))
                .journeyDateRangeKpiResponse().kpiResult().rows();
        return rows.isEmpty() ? null : rows.get(0).values().get(0).value();
    }
}
