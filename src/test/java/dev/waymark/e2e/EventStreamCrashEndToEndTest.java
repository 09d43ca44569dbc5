package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.waymark.messaging.WebhookSignature;
import dev.waymark.store.sql.SqlStore;
import dev.waymark.store.sql.SqliteDataDirectory;
import dev.waymark.wire.Json;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.pinpoint.PinpointClient;
import software.amazon.awssdk.services.pinpoint.model.Event;
import software.amazon.awssdk.services.pinpoint.model.EventsBatch;
import software.amazon.awssdk.services.pinpoint.model.PublicEndpoint;

/**
 * kill -9 of a real Waymark process while its event stream has a batch at the receiver, then a restart on the same
 * store: every record arrives; the only repeats are records already received, each with the same event_id; each
 * endpoint's records arrive in order.
 */
class EventStreamCrashEndToEndTest {
    private static final String SECRET = "a-stream-secret-for-tests";
    private static final int REQUESTS = 30;
    private static final int ENDPOINTS = 10;

    @TempDir
    Path workDir;
    private HttpServer receiver;
    /** The records of every POST the receiver took, in arrival order. */
    private final List<List<JsonNode>> posts = new CopyOnWriteArrayList<>();
    private final CountDownLatch secondPostArrived = new CountDownLatch(1);
    private final CountDownLatch killed = new CountDownLatch(1);

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/stream", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            assertThat(WebhookSignature.verify(SECRET, exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER),
                    body, System.currentTimeMillis() / 1000, 300)).isTrue();
            List<JsonNode> records = new ArrayList<>();
            Json.MAPPER.readTree(body).forEach(records::add);
            posts.add(records);
            if (posts.size() == 2) {
                // The receiver has the batch; its sender dies before it hears the answer.
                secondPostArrived.countDown();
                await(killed);
            }
            try {
                exchange.sendResponseHeaders(200, -1);
            } finally {
                exchange.close();
            }
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        killed.countDown();
        receiver.stop(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void everyRecordArrivesAndOnlyTheBatchCaughtByTheCrashArrivesTwice(String store) throws Exception {
        Path dataDir = workDir.resolve("data");
        List<String> arguments = new ArrayList<>(List.of("--allow-http-delivery", "--webhook-secret", SECRET));
        String jdbcUrl;
        if (store.equals("postgresql")) {
            jdbcUrl = TestDatabases.newPostgresDatabase();
            arguments.addAll(List.of("--db-url", jdbcUrl));
        } else {
            SqliteDataDirectory.prepare(dataDir);
            jdbcUrl = "jdbc:sqlite:" + dataDir.resolve(SqliteDataDirectory.DATABASE);
        }
        String[] args = arguments.toArray(String[]::new);
        String app;
        try (WaymarkProcess first = WaymarkProcess.start(dataDir, args);
             PinpointClient client = WaymarkTestServer.clientFor(first.url())) {
            app = client.createApp(r -> r.createApplicationRequest(a -> a.name("crash"))).applicationResponse().id();
            client.putEventStream(r -> r.applicationId(app).writeEventStream(w -> w.destinationStreamArn(
                    "http://127.0.0.1:" + receiver.getAddress().getPort() + "/stream")
                    .roleArn("arn:aws:iam::123456789012:role/stream")));
            for (int seq = 1; seq <= REQUESTS; seq++) {
                putEvents(client, app, seq);
            }
            assertThat(secondPostArrived.await(30, TimeUnit.SECONDS)).as("a second batch reached the receiver").isTrue();
            first.kill();
            killed.countDown();
        }
        int postsAtKill = posts.size();
        try (SqlStore opened = SqlStore.open(jdbcUrl)) {
            assertThat(queued(opened)).as("the batch at the receiver is still queued").isGreaterThanOrEqualTo(
                    posts.get(1).size());
        }

        try (WaymarkProcess second = WaymarkProcess.start(dataDir, args);
             SqlStore opened = SqlStore.open(jdbcUrl)) {
            // The dead node's lease on the app runs out (30 s) before the new one sends; done when nothing is queued.
            awaitTrue(() -> distinct().size() == REQUESTS * ENDPOINTS && queued(opened) == 0, Duration.ofSeconds(90));
            assertThat(second.stop()).isZero();
        }

        Map<String, JsonNode> distinct = distinct();
        long received = posts.stream().mapToLong(List::size).sum();
        long repeats = received - distinct.size();
        System.out.printf("Event stream crash on %s: %d posts before the kill; %d of %d records arrived twice%n",
                store, postsAtKill, repeats, distinct.size());
        assertThat(repeats).as("the batch at the receiver when the sender died is sent again")
                .isEqualTo(posts.get(1).size());
        Map<String, Integer> last = new LinkedHashMap<>();
        for (JsonNode record : distinct.values()) {
            assertThat(record.path("application").path("app_id").textValue()).isEqualTo(app);
            String endpoint = record.path("client").path("client_id").textValue();
            int seq = Integer.parseInt(record.path("attributes").path("seq").textValue());
            assertThat(seq).as("order of " + endpoint).isEqualTo(last.getOrDefault(endpoint, 0) + 1);
            last.put(endpoint, seq);
        }
        assertThat(last).hasSize(ENDPOINTS);
    }

    private static long queued(SqlStore opened) {
        return opened.jdbi().withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM event_stream_queue")
                .mapTo(Long.class).one());
    }

    /** One request: an event numbered {@code seq} for each endpoint. */
    private static void putEvents(PinpointClient client, String app, int seq) {
        Map<String, EventsBatch> items = new LinkedHashMap<>();
        for (int i = 0; i < ENDPOINTS; i++) {
            items.put("endpoint-" + i, EventsBatch.builder()
                    .endpoint(PublicEndpoint.builder().channelType("EMAIL").address("e" + i + "@example.com").build())
                    .events(Map.of("event-" + seq, Event.builder().eventType("tick")
                            .timestamp("2026-11-20T10:00:00.000Z")
                            .attributes(Map.of("seq", Integer.toString(seq))).build())).build());
        }
        client.putEvents(r -> r.applicationId(app).eventsRequest(e -> e.batchItem(items)));
    }

    /** Each record once by event_id, in the order of first arrival. */
    private Map<String, JsonNode> distinct() {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        posts.forEach(records -> records.forEach(record -> byId.putIfAbsent(record.path("event_id").textValue(),
                record)));
        return byId;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitTrue(BooleanSupplier condition, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited " + within).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
