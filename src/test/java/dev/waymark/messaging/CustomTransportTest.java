package dev.waymark.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.wire.Json;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * CUSTOM activities reach a real local HTTP receiver, and a local stand-in for Lambda's Invoke API that the real SDK
 * client talks to; the receivers' EventAttributes come back bounded.
 */
class CustomTransportTest {
    private static final String SECRET = "whsec_custom";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T08:00:00.123Z"), ZoneOffset.UTC);
    private static final SignedPost.Timeouts FAST = new SignedPost.Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2));

    private final HttpReceiver receiver;
    private final HttpReceiver lambda;
    private final List<AutoCloseable> opened = new ArrayList<>();

    CustomTransportTest() throws IOException {
        receiver = new HttpReceiver();
        lambda = new HttpReceiver();
        opened.add(receiver);
        opened.add(lambda);
    }

    @AfterEach
    void closeAll() throws Exception {
        // Clients before the servers they talk to: a server stopping waits for its open connections.
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void postsPinpointsCustomPayloadSignedAndKeepsTheAnswersEventAttributes() throws Exception {
        receiver.answer(HttpReceiver.Reply.of(200, """
                {"e-1": {"EventAttributes": {"clicked": "yes", "score": 7}},
                 "e-2": {"EventAttributes": {"note": "%s", "ok": true}},
                 "not-sent": {"EventAttributes": {"x": "y"}}}""".formatted("v".repeat(201))));

        Delivery delivery = transport(true).send(custom(receiver.uri("/hook").toString(), 2));

        assertThat(delivery).extracting(Delivery::outcome, Delivery::statusCode)
                .containsExactly(Delivery.Outcome.DELIVERED, 200);
        assertThat(delivery.eventAttributes()).isEqualTo(Map.of(
                "e-1", Map.of("clicked", "yes", "score", "7"), "e-2", Map.of("ok", "true")));
        HttpReceiver.Request request = receiver.requests.get(0);
        assertThat(request.header("Idempotency-Key")).isEqualTo("key-custom");
        assertThat(WebhookSignature.verify(SECRET, request.header("Waymark-Signature"), request.body(),
                CLOCK.instant().getEpochSecond(), 60)).isTrue();
        JsonNode payload = Json.MAPPER.readTree(request.body());
        assertThat(payload.path("Message").isObject()).isTrue();
        assertThat(payload.path("Data").asText()).isEqualTo("{\"offer\":\"spring\"}");
        assertThat(payload.path("ApplicationId").asText()).isEqualTo("app-1");
        assertThat(payload.path("JourneyId").asText()).isEqualTo("j-1");
        assertThat(payload.path("ActivityId").asText()).isEqualTo("a-1");
        assertThat(payload.path("RunId").asText()).isEqualTo("r-1");
        assertThat(payload.path("ScheduledTime").asText()).isEqualTo("2026-11-26T08:00:00.123Z");
        assertThat(payload.path("Endpoints").path("e-1").path("Address").asText()).isEqualTo("custom-1");
        assertThat(payload.path("Endpoints").size()).isEqualTo(2);
    }

    @Test
    void refusesHttpWithoutTheFlagAndOtherDestinations() {
        CustomTransport strict = transport(false);

        List<Delivery> deliveries = List.of(
                strict.send(custom(receiver.uri("/hook").toString(), 1)),
                strict.send(custom("ftp://example.com/x", 1)),
                strict.send(custom("not a function!", 1)),
                strict.send(custom("https://user:pw@example.com/x", 1)),
                strict.send(custom("https://example.com/x", CustomTransport.MAX_ENDPOINTS + 1)));

        assertThat(deliveries).allSatisfy(delivery -> assertThat(delivery.outcome())
                .isEqualTo(Delivery.Outcome.PERMANENT_FAILURE));
        assertThat(deliveries.get(0).statusMessage()).contains("--allow-http-delivery");
        assertThat(deliveries.get(4).statusMessage()).contains("at most 50 endpoints");
        assertThat(receiver.requests).isEmpty();
    }

    @Test
    void withoutTheFlagAUrlMayNotLeadToTheServersOwnNetwork() {
        CustomTransport strict = transport(false);
        String port = String.valueOf(receiver.uri("/").getPort());

        List<Delivery> deliveries = List.of(
                strict.send(custom("https://127.0.0.1:" + port + "/hook", 1)),
                strict.send(custom("https://localhost:" + port + "/hook", 1)),
                strict.send(custom("https://169.254.169.254/latest/meta-data", 1)),
                strict.send(custom("https://10.1.2.3/hook", 1)),
                strict.send(custom("https://[::1]:" + port + "/hook", 1)),
                strict.send(custom("https://[fd00::1]/hook", 1)));

        assertThat(deliveries).allSatisfy(delivery -> {
            assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.PERMANENT_FAILURE);
            assertThat(delivery.statusMessage()).contains("local or private address");
        });
        assertThat(receiver.requests).isEmpty();
    }

    @Test
    void aReceiversServerErrorIsRetriedAndItsRefusalIsNot() {
        receiver.answer(HttpReceiver.Reply.of(502, ""), HttpReceiver.Reply.of(403, ""));
        CustomTransport transport = transport(true);

        assertThat(transport.send(custom(receiver.uri("/hook").toString(), 1)).outcome())
                .isEqualTo(Delivery.Outcome.TRANSIENT_FAILURE);
        assertThat(transport.send(custom(receiver.uri("/hook").toString(), 1)).outcome())
                .isEqualTo(Delivery.Outcome.PERMANENT_FAILURE);
    }

    @Test
    void invokesALambdaFunctionThroughTheSdkAndKeepsItsEventAttributes() throws Exception {
        lambda.answer(new HttpReceiver.Reply(200, """
                {"e-1": {"EventAttributes": {"segment": "gold"}}}""".getBytes(), Map.of("x-amzn-RequestId", "req-9")));

        Delivery delivery = transport(false).send(custom("arn:aws:lambda:eu-west-1:123456789012:function:hook", 1));

        assertThat(delivery).extracting(Delivery::outcome, Delivery::statusCode, Delivery::providerMessageId)
                .containsExactly(Delivery.Outcome.DELIVERED, 200, Optional.of("req-9"));
        assertThat(delivery.eventAttributes()).isEqualTo(Map.of("e-1", Map.of("segment", "gold")));
        HttpReceiver.Request request = lambda.requests.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo(
                "/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:hook/invocations");
        assertThat(request.header("X-Amz-Invocation-Type")).isEqualTo("RequestResponse");
        assertThat(request.header("Authorization")).contains("Credential=AKIDTEST/").contains("/eu-west-1/lambda/");
        assertThat(Json.MAPPER.readTree(request.body()).path("Endpoints").has("e-1")).isTrue();
        assertThat(CustomTransport.regionOf("hook")).isEqualTo(Region.US_EAST_1);
    }

    @Test
    void classifiesFunctionErrorsAndLambdasRefusals() {
        lambda.answer(
                new HttpReceiver.Reply(200, "{\"errorMessage\":\"Task timed out\"}".getBytes(),
                        Map.of("X-Amz-Function-Error", "Unhandled")),
                new HttpReceiver.Reply(404, "{\"Type\":\"User\",\"message\":\"Function not found\"}".getBytes(),
                        Map.of("x-amzn-ErrorType", "ResourceNotFoundException")),
                new HttpReceiver.Reply(429, "{\"Type\":\"User\",\"message\":\"Rate exceeded\"}".getBytes(),
                        Map.of("x-amzn-ErrorType", "TooManyRequestsException")));
        CustomTransport transport = transport(false);

        Delivery crashed = transport.send(custom("hook", 1));
        Delivery missing = transport.send(custom("hook", 1));
        Delivery throttled = transport.send(custom("hook", 1));

        assertThat(crashed.outcome()).isEqualTo(Delivery.Outcome.TRANSIENT_FAILURE);
        assertThat(crashed.statusMessage()).contains("Unhandled").contains("Task timed out");
        assertThat(missing).extracting(Delivery::outcome, Delivery::statusCode)
                .containsExactly(Delivery.Outcome.PERMANENT_FAILURE, 404);
        assertThat(missing.statusMessage()).contains("ResourceNotFoundException");
        assertThat(throttled).extracting(Delivery::outcome, Delivery::statusCode)
                .containsExactly(Delivery.Outcome.TRANSIENT_FAILURE, 429);
        assertThat(lambda.requests).hasSize(3);
    }

    @Test
    void keepsAtMostFortyAttributesPerEndpoint() {
        ObjectNode answer = Json.MAPPER.createObjectNode();
        ObjectNode attributes = answer.putObject("e-1").putObject("EventAttributes");
        for (int i = 0; i < 100; i++) {
            attributes.put("a" + i, "v");
        }
        attributes.put("n".repeat(51), "v");

        Delivery delivery = CustomTransport.withAttributes(Delivery.delivered(200, "", Optional.empty()),
                Optional.of(answer), custom("hook", 1).content().get("Endpoints"));

        assertThat(delivery.eventAttributes().get("e-1")).hasSize(CustomTransport.MAX_ATTRIBUTES);
    }

    private CustomTransport transport(boolean allowHttp) {
        CustomTransport transport = new CustomTransport(allowHttp, Optional.of(URI.create(lambda.uri("").toString())),
                Optional.of(SECRET), StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")),
                CLOCK, FAST);
        opened.add(transport);
        return transport;
    }

    private static OutboundMessage custom(String destination, int endpoints) {
        ObjectNode content = Json.MAPPER.createObjectNode();
        content.put("Data", "{\"offer\":\"spring\"}");
        ObjectNode byId = content.putObject("Endpoints");
        for (int i = 1; i <= endpoints; i++) {
            byId.putObject("e-" + i).put("ChannelType", "CUSTOM").put("Address", "custom-" + i);
        }
        return new OutboundMessage("m-custom", "app-1", "key-custom", Channel.CUSTOM, destination, Optional.empty(),
                content, Origin.journey("j-1", "r-1", "a-1"), 1);
    }
}
