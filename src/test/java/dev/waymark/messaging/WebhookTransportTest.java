package dev.waymark.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.wire.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SMS, push and voice messages reach a real local HTTP receiver, signed, and its answers are classified. */
class WebhookTransportTest {
    private static final String SECRET = "whsec_3xampl3";
    private static final SignedPost.Timeouts FAST = new SignedPost.Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(1));

    private final HttpReceiver receiver;
    private final List<AutoCloseable> opened = new ArrayList<>();

    WebhookTransportTest() throws IOException {
        receiver = new HttpReceiver();
        opened.add(receiver);
    }

    @AfterEach
    void closeAll() throws Exception {
        // Clients before the servers they talk to: a server stopping waits for its open connections.
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void postsOneSignedJsonMessageWithTheIdempotencyKey() throws Exception {
        receiver.answer(HttpReceiver.Reply.of(202, "{\"MessageId\":\"provider-17\"}"));

        Delivery delivery = transport(Channel.SMS).send(sms("key-1", 1));

        assertThat(delivery).extracting(Delivery::outcome, Delivery::statusCode, Delivery::providerMessageId)
                .containsExactly(Delivery.Outcome.DELIVERED, 202, Optional.of("provider-17"));
        HttpReceiver.Request request = receiver.requests.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/sms");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("Idempotency-Key")).isEqualTo("key-1");
        JsonNode body = Json.MAPPER.readTree(request.body());
        assertThat(body.path("MessageId").asText()).isEqualTo("m-key-1");
        assertThat(body.path("ApplicationId").asText()).isEqualTo("app-1");
        assertThat(body.path("Channel").asText()).isEqualTo("SMS");
        assertThat(body.path("Address").asText()).isEqualTo("+14155550100");
        assertThat(body.path("EndpointId").asText()).isEqualTo("e-1");
        assertThat(body.path("JourneyId").asText()).isEqualTo("j-1");
        assertThat(body.path("RunId").asText()).isEqualTo("r-1");
        assertThat(body.path("ActivityId").asText()).isEqualTo("a-1");
        assertThat(body.has("TraceId")).isFalse();
        assertThat(body.path("Attempt").asInt()).isEqualTo(1);
        assertThat(body.path("Message").path("Body").asText()).isEqualTo("Your code is 123456");
        assertThat(body.path("Message").path("OriginationNumber").asText()).isEqualTo("+14155550199");
    }

    @Test
    void theSignatureVerifiesWithAnHmacComputedHereAndWithTheDocumentedPythonRecipe() throws Exception {
        transport(Channel.PUSH).send(sms("key-sig", 1));
        HttpReceiver.Request request = receiver.requests.get(0);
        String signature = request.header("Waymark-Signature");

        assertThat(signature).matches("t=\\d+,v1=[0-9a-f]{64}");
        String timestamp = signature.substring(2, signature.indexOf(','));
        assertThat(Long.parseLong(timestamp)).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
        assertThat(signature).endsWith(",v1=" + HexFormat.of().formatHex(mac.doFinal(request.body())));

        assertThat(recipe(SECRET, signature, request.body())).isEqualTo(0);
        byte[] tampered = request.text().replace("123456", "654321").getBytes(StandardCharsets.UTF_8);
        assertThat(recipe(SECRET, signature, tampered)).isEqualTo(1);
        assertThat(recipe("another secret", signature, request.body())).isEqualTo(1);
    }

    @Test
    void theReadmeQuotesTheTestedRecipeUnchanged() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        assumeTrue(readme.contains("verify_webhook.py"), "the README does not show the recipe yet");

        assertThat(readme).contains(Files.readString(Path.of("src/test/clients/verify_webhook.py")));
    }

    @Test
    void aServerErrorIsRetriedAndTheRetryCarriesTheSameKey() {
        receiver.answer(HttpReceiver.Reply.of(500, "database down"), HttpReceiver.Reply.of(200, ""));
        WebhookTransport transport = transport(Channel.SMS);

        Delivery first = transport.send(sms("key-retry", 1));
        Delivery second = transport.send(sms("key-retry", 2));

        assertThat(first).extracting(Delivery::outcome, Delivery::statusCode)
                .containsExactly(Delivery.Outcome.TRANSIENT_FAILURE, 500);
        assertThat(first.statusMessage()).isEqualTo("HTTP 500: database down");
        assertThat(second).extracting(Delivery::outcome, Delivery::statusCode, Delivery::providerMessageId)
                .containsExactly(Delivery.Outcome.DELIVERED, 200, Optional.empty());
        assertThat(receiver.requests).extracting(request -> request.header("Idempotency-Key"))
                .containsExactly("key-retry", "key-retry");
        assertThat(receiver.requests).extracting(request -> Json.parseStored(request.text()).path("Attempt").asInt())
                .containsExactly(1, 2);
    }

    @Test
    void classifiesTheStatusCodes() {
        WebhookTransport transport = transport(Channel.VOICE);
        receiver.answer(HttpReceiver.Reply.of(400, "{\"error\":\"bad number\"}"), HttpReceiver.Reply.of(404, ""),
                HttpReceiver.Reply.of(429, ""), HttpReceiver.Reply.of(408, ""), HttpReceiver.Reply.of(503, ""),
                new HttpReceiver.Reply(302, new byte[0], Map.of("Location", receiver.uri("/elsewhere").toString())));

        List<Delivery> deliveries = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            deliveries.add(transport.send(sms("key-" + i, 1)));
        }

        assertThat(deliveries).extracting(Delivery::outcome, Delivery::statusCode).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Delivery.Outcome.PERMANENT_FAILURE, 400),
                org.assertj.core.groups.Tuple.tuple(Delivery.Outcome.PERMANENT_FAILURE, 404),
                org.assertj.core.groups.Tuple.tuple(Delivery.Outcome.TRANSIENT_FAILURE, 429),
                org.assertj.core.groups.Tuple.tuple(Delivery.Outcome.TRANSIENT_FAILURE, 408),
                org.assertj.core.groups.Tuple.tuple(Delivery.Outcome.TRANSIENT_FAILURE, 503),
                org.assertj.core.groups.Tuple.tuple(Delivery.Outcome.PERMANENT_FAILURE, 302));
        assertThat(deliveries.get(0).statusMessage()).contains("bad number");
        assertThat(receiver.requests).hasSize(6).noneMatch(request -> request.path().equals("/elsewhere"));
    }

    @Test
    void aReceiverThatHangsIsATransientFailureAfterTheTimeout() {
        receiver.hang();

        long start = System.nanoTime();
        Delivery delivery = transport(Channel.SMS).send(sms("key-hang", 1));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(delivery).extracting(Delivery::outcome, Delivery::statusCode)
                .containsExactly(Delivery.Outcome.TRANSIENT_FAILURE, 0);
        assertThat(delivery.statusMessage()).contains("no answer");
        assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
    }

    @Test
    void anAnswerThatTricklesIsCutOffAtTheSameTimeout() {
        receiver.trickle();

        long start = System.nanoTime();
        Delivery delivery = transport(Channel.SMS).send(sms("key-trickle", 1));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(delivery).extracting(Delivery::outcome, Delivery::statusCode)
                .containsExactly(Delivery.Outcome.TRANSIENT_FAILURE, 0);
        assertThat(delivery.statusMessage()).contains("no whole answer");
        assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
    }

    @Test
    void nobodyListeningIsATransientFailure() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        WebhookTransport transport = new WebhookTransport(Channel.SMS, URI.create("http://127.0.0.1:" + port + "/"),
                SECRET, Clock.systemUTC(), FAST);

        Delivery delivery = transport.send(sms("key-dead", 1));

        assertThat(delivery).extracting(Delivery::outcome, Delivery::statusCode)
                .containsExactly(Delivery.Outcome.TRANSIENT_FAILURE, 0);
    }

    @Test
    void aHugeAnswerIsReadOnlyUpToTheLimit() {
        byte[] huge = new byte[8 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) 'x');
        receiver.answer(new HttpReceiver.Reply(500, huge, Map.of()));

        Delivery delivery = transport(Channel.SMS).send(sms("key-huge", 1));

        assertThat(delivery).extracting(Delivery::outcome, Delivery::statusCode)
                .containsExactly(Delivery.Outcome.TRANSIENT_FAILURE, 500);
        assertThat(delivery.statusMessage()).hasSizeLessThan(300);
    }

    @Test
    void aKeyThatCannotBeAHeaderIsEscaped() {
        transport(Channel.SMS).send(sms("journey j1/ünïcode%", 1));

        assertThat(receiver.requests.get(0).header("Idempotency-Key")).isEqualTo("journey%20j1/%C3%BCn%C3%AFcode%25");
    }

    @Test
    void postsManyMessagesOverReusedConnections() throws Exception {
        WebhookTransport transport = new WebhookTransport(Channel.SMS, receiver.uri("/sms"), SECRET,
                Clock.systemUTC(), SignedPost.Timeouts.DEFAULT);
        opened.add(transport);
        receiver.stopRecording();
        int count = 2_000;
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            // Three rounds: the first one also warms the JIT up, the later ones are the steady figure.
            for (int round = 1; round <= 3; round++) {
                long start = System.nanoTime();
                List<Future<Delivery>> results = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    OutboundMessage message = sms("speed-" + round + "-" + i, 1);
                    results.add(pool.submit(() -> transport.send(message)));
                }
                for (Future<Delivery> result : results) {
                    assertThat(result.get(30, TimeUnit.SECONDS).outcome()).isEqualTo(Delivery.Outcome.DELIVERED);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("WebhookTransport, round %d: %d calls over %d threads to a local receiver in %.2f s: "
                        + "%.0f calls/s%n", round, count, threads, seconds, count / seconds);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs src/test/clients/verify_webhook.py, the recipe the README quotes, as a receiver would; its exit status. */
    private static int recipe(String secret, String signature, byte[] body) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("python3", Path.of("src/test/clients/verify_webhook.py").toString(),
                signature).redirectErrorStream(true);
        builder.environment().put("WAYMARK_WEBHOOK_SECRET", secret);
        Process process = builder.start();
        process.getOutputStream().write(body);
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(output).isIn("valid", "invalid");
        return process.exitValue();
    }

    private WebhookTransport transport(Channel channel) {
        WebhookTransport transport = new WebhookTransport(channel, receiver.uri("/" + channel.name().toLowerCase()),
                SECRET, Clock.systemUTC(), FAST);
        opened.add(transport);
        return transport;
    }

    private static OutboundMessage sms(String key, int attempt) {
        ObjectNode content = Json.MAPPER.createObjectNode();
        content.put("Body", "Your code is 123456");
        content.put("MessageType", "TRANSACTIONAL");
        content.put("OriginationNumber", "+14155550199");
        return new OutboundMessage("m-" + key, "app-1", key, Channel.SMS, "+14155550100", Optional.of("e-1"), content,
                Origin.journey("j-1", "r-1", "a-1"), attempt);
    }
}
