package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import dev.waymark.CapturedLogs;
import dev.waymark.analytics.EventStreamDeliverer;
import dev.waymark.messaging.DeliverySettings;
import dev.waymark.messaging.WebhookSignature;
import dev.waymark.server.ServerConfig;
import dev.waymark.store.sql.SqlStore;
import dev.waymark.wire.Json;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.pinpoint.model.ChannelType;
import software.amazon.awssdk.services.pinpoint.model.EndpointSendConfiguration;
import software.amazon.awssdk.services.pinpoint.model.Event;
import software.amazon.awssdk.services.pinpoint.model.EventsBatch;
import software.amazon.awssdk.services.pinpoint.model.PublicEndpoint;

/**
 * The event stream delivered to a real local webhook receiver (http, allowed by --allow-http-delivery): PutEvents
 * records and the outbox's delivery records, in Pinpoint's format and signed; every record at least once across a
 * restart, the repeats carrying the same event_id; a receiver that fails then recovers gets everything in order per
 * endpoint; an app without a stream queues nothing; deleting the stream stops delivery and drops its queue.
 */
class EventStreamDeliveryEndToEndTest extends EndToEndTest {
    private static final String SECRET = "a-stream-secret-for-tests";
    private static final String ROLE = "arn:aws:iam::123456789012:role/pinpoint-stream";
    private static final String FROM = "noreply@example.com";
    @RegisterExtension
    final CapturedLogs logs = new CapturedLogs();

    private GreenMail mail;
    private HttpServer receiver;
    private ServerConfig config;
    /** Every POST the receiver took (whatever it answered), in arrival order. */
    private final List<Post> posts = new CopyOnWriteArrayList<>();
    /** The receiver answers 500 to this many requests before it answers 200 again. */
    private final AtomicInteger failures = new AtomicInteger();
    private volatile long delayMs;

    /** One POST: its signature header and its records, and whether the receiver accepted it. */
    private record Post(String signature, byte[] body, List<JsonNode> records, boolean accepted) {}

    @BeforeEach
    void startStreamingServer() throws Exception {
        mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        mail.start();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/stream", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            sleep(delayMs);
            boolean accepted = failures.getAndUpdate(left -> Math.max(0, left - 1)) == 0;
            List<JsonNode> records = new ArrayList<>();
            Json.MAPPER.readTree(body).forEach(records::add);
            posts.add(new Post(exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER), body, records,
                    accepted));
            exchange.sendResponseHeaders(accepted ? 200 : 500, -1);
            exchange.close();
        });
        receiver.start();
        waymark.close();
        DeliverySettings delivery = new DeliverySettings(
                Optional.of(URI.create("smtp://127.0.0.1:" + mail.getSmtp().getPort())), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of(SECRET), true, Optional.empty(),
                Duration.ofSeconds(10));
        config = TestDatabases.configure(ServerConfig.defaults(dataDir.resolve("streaming"), 0), store)
                .withDelivery(delivery).withEventStream(EventStreamDeliverer.Settings.DEFAULTS
                        .withBackoff(Duration.ofMillis(100), Duration.ofMillis(400)));
        waymark = WaymarkTestServer.start(config);
        client = waymark.client();
    }

    @AfterEach
    void stopSinks() {
        mail.stop();
        receiver.stop(0);
    }

    private String streamUrl() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/stream";
    }

    private String appWithStream(String name) {
        String app = createApp(name);
        client.putEventStream(r -> r.applicationId(app).writeEventStream(w -> w.destinationStreamArn(streamUrl())
                .roleArn(ROLE)));
        return app;
    }

    /** One event of {@code type} for {@code endpointId}, with its sequence number as an attribute. */
    private void putEvent(String app, String endpointId, String eventId, String type, int seq) {
        Event event = Event.builder().eventType(type).timestamp("2026-11-20T10:00:00.000Z")
                .attributes(Map.of("seq", Integer.toString(seq))).metrics(Map.of("score", (double) seq))
                .session(s -> s.id("session-1").startTimestamp("2026-11-20T09:59:00.000Z")).build();
        client.putEvents(r -> r.applicationId(app).eventsRequest(e -> e.batchItem(Map.of(endpointId,
                EventsBatch.builder().endpoint(PublicEndpoint.builder().channelType("EMAIL")
                                .address(endpointId.toLowerCase() + "@example.com")
                                .demographic(d -> d.platform("ios").platformVersion("17.1").make("Apple")).build())
                        .events(Map.of(eventId, event)).build()))));
    }

    /** The records the receiver accepted, each once, by event_id, in the order they first arrived. */
    private Map<String, JsonNode> delivered() {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        posts.stream().filter(Post::accepted).flatMap(post -> post.records().stream())
                .forEach(record -> byId.putIfAbsent(record.path("event_id").textValue(), record));
        return byId;
    }

    private long queued(String app) {
        return ((SqlStore) waymark.server().store()).jdbi().withHandle(handle -> handle
                .createQuery("SELECT COUNT(*) FROM event_stream_queue WHERE app_id = :app").bind("app", app)
                .mapTo(Long.class).one());
    }

    @Test
    void putEventsAndDeliveryRecordsArriveInPinpointsFormatSigned() throws Exception {
        String app = appWithStream("stream");
        client.updateEmailChannel(r -> r.applicationId(app).emailChannelRequest(c -> c.fromAddress(FROM)
                .identity("arn:aws:ses:us-east-1:000000000000:identity/example.com").enabled(true)));
        putEvent(app, "Ada-1", "e1", "song.play", 1);
        client.updateEndpoint(r -> r.applicationId(app).endpointId("Ada-1").endpointRequest(e -> e
                .channelType(ChannelType.EMAIL).address("ada@example.com")));
        client.sendMessages(r -> r.applicationId(app).messageRequest(m -> m
                .endpoints(Map.of("Ada-1", EndpointSendConfiguration.builder().build()))
                .messageConfiguration(c -> c.emailMessage(e -> e.simpleEmail(s -> s
                        .subject(p -> p.data("Hi").charset("UTF-8")).textPart(p -> p.data("Hello")))))));
        assertThat(mail.waitForIncomingEmail(10_000, 1)).isTrue();
        await(() -> delivered().values().stream().anyMatch(r -> r.path("event_type").textValue().equals("_email.send"))
                && delivered().values().stream().anyMatch(r -> r.path("event_type").textValue().equals("song.play")));

        for (Post post : posts) {
            assertThat(WebhookSignature.verify(SECRET, post.signature(), post.body(),
                    System.currentTimeMillis() / 1000, 300)).as("signature").isTrue();
        }
        JsonNode play = delivered().values().stream()
                .filter(r -> r.path("event_type").textValue().equals("song.play")).findFirst().orElseThrow();
        assertThat(play.path("event_version").textValue()).isEqualTo("3.1");
        assertThat(play.path("event_timestamp").asLong()).isEqualTo(1_795_168_800_000L);
        assertThat(play.path("arrival_timestamp").asLong()).isGreaterThan(1_795_168_800_000L);
        assertThat(play.path("application").path("app_id").textValue()).isEqualTo(app);
        assertThat(play.path("application").path("sdk").isObject()).isTrue();
        assertThat(play.path("client").path("client_id").textValue()).isEqualTo("Ada-1");
        assertThat(play.path("device").path("platform").path("name").textValue()).isEqualTo("ios");
        assertThat(play.path("device").path("make").textValue()).isEqualTo("Apple");
        assertThat(play.path("session").path("session_id").textValue()).isEqualTo("session-1");
        assertThat(play.path("session").path("start_timestamp").asLong()).isEqualTo(1_795_168_740_000L);
        assertThat(play.path("attributes").path("seq").textValue()).isEqualTo("1");
        assertThat(play.path("metrics").path("score").asDouble()).isEqualTo(1.0);
        assertThat(play.path("awsAccountId").textValue()).isEqualTo("123456789012");
        JsonNode endpoint = Json.MAPPER.readTree(play.path("client_context").path("custom").path("endpoint")
                .textValue());
        assertThat(endpoint.path("Id").textValue()).isEqualTo("Ada-1");
        assertThat(endpoint.path("Address").textValue()).isEqualTo("ada-1@example.com");

        JsonNode send = delivered().values().stream()
                .filter(r -> r.path("event_type").textValue().equals("_email.send")).findFirst().orElseThrow();
        assertThat(send.path("client").path("client_id").textValue()).isEqualTo("Ada-1");
        assertThat(send.path("application").path("app_id").textValue()).isEqualTo(app);
        assertThat(delivered().keySet()).doesNotContainNull();
        // Delivered rows are gone: the queue is the cursor.
        await(() -> queued(app) == 0);
        String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                URI.create(waymark.server().url() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("waymark_event_stream_lag_seconds")
                .containsPattern("waymark_event_stream_records_total\\{[^}]*outcome=\"delivered\"[^}]*} [1-9]");
    }

    @Test
    void anAppWithoutAStreamQueuesNothing() throws Exception {
        String app = createApp("quiet");
        putEvent(app, "bob", "e1", "song.play", 1);
        String streamed = appWithStream("loud");
        putEvent(streamed, "bob", "e1", "song.play", 1);
        await(() -> delivered().size() == 1);
        assertThat(queued(app)).isZero();
        assertThat(delivered().values().iterator().next().path("application").path("app_id").textValue())
                .isEqualTo(streamed);
    }

    @Test
    void aFailingReceiverGetsEverythingInOrderPerEndpointOnceItRecovers() throws Exception {
        String app = appWithStream("flaky");
        failures.set(3);
        for (int seq = 1; seq <= 10; seq++) {
            putEvent(app, "ada", "a" + seq, "tick", seq);
            putEvent(app, "bob", "b" + seq, "tick", seq);
        }
        await(() -> delivered().size() == 20);
        assertThat(posts.stream().filter(post -> !post.accepted()).count()).isEqualTo(3);
        assertInOrderPerEndpoint(delivered());
        await(() -> queued(app) == 0);
        expectRetried(app);
    }

    @Test
    void everyRecordArrivesOnceAcrossARestartOfTheServer() throws Exception {
        String app = appWithStream("restart");
        for (int seq = 1; seq <= 10; seq++) {
            putEvent(app, "ada", "a" + seq, "tick", seq);
            putEvent(app, "bob", "b" + seq, "tick", seq);
        }
        await(() -> delivered().size() == 20);
        // The receiver goes down while the rest is written; the server stops with them still queued.
        failures.set(Integer.MAX_VALUE);
        for (int seq = 11; seq <= 30; seq++) {
            putEvent(app, "ada", "a" + seq, "tick", seq);
            putEvent(app, "bob", "b" + seq, "tick", seq);
        }
        await(() -> posts.stream().anyMatch(post -> !post.accepted()));
        waymark.close();
        assertThat(delivered()).hasSize(20);
        failures.set(0);
        waymark = WaymarkTestServer.start(config);
        client = waymark.client();
        await(() -> delivered().size() == 60);
        long received = posts.stream().filter(Post::accepted).mapToLong(post -> post.records().size()).sum();
        assertThat(received).as("a record delivered before the restart is not sent again").isEqualTo(60);
        assertInOrderPerEndpoint(delivered());
        await(() -> queued(app) == 0);
        expectRetried(app);
    }

    @Test
    void deletingTheStreamStopsDeliveryAndDropsItsQueue() throws Exception {
        String app = appWithStream("deleted");
        failures.set(Integer.MAX_VALUE);
        putEvent(app, "ada", "a1", "tick", 1);
        putEvent(app, "ada", "a2", "tick", 2);
        await(() -> !posts.isEmpty());
        assertThat(queued(app)).isEqualTo(2);
        client.deleteEventStream(r -> r.applicationId(app));
        assertThat(queued(app)).isZero();
        failures.set(0);
        putEvent(app, "ada", "a3", "tick", 3);
        int seen = posts.size();
        Thread.sleep(1_000);
        assertThat(queued(app)).isZero();
        assertThat(posts).hasSize(seen);
        assertThat(delivered()).isEmpty();
        expectRetried(app);
    }

    /** The one line a receiver's failures log: at a record's first failed try, not at each retry. */
    private void expectRetried(String app) {
        logs.expect(Level.WARN, "analytics.EventStreamDeliverer", "event stream of app " + app
                + ": delivery failed, retrying: POST to 127.0.0.1 answered HTTP 500");
    }

    private static void assertInOrderPerEndpoint(Map<String, JsonNode> delivered) {
        Map<String, Integer> last = new ConcurrentHashMap<>();
        for (JsonNode record : delivered.values()) {
            String endpoint = record.path("client").path("client_id").textValue();
            int seq = Integer.parseInt(record.path("attributes").path("seq").textValue());
            assertThat(seq).as("order of " + endpoint).isEqualTo(last.getOrDefault(endpoint, 0) + 1);
            last.put(endpoint, seq);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 30 s").isLessThan(deadline);
            Thread.sleep(25);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
