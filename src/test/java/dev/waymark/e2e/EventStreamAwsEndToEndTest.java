package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.waymark.CapturedLogs;
import dev.waymark.analytics.EventStreamDeliverer;
import dev.waymark.server.ServerConfig;
import dev.waymark.wire.Json;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.pinpoint.model.Event;
import software.amazon.awssdk.services.pinpoint.model.EventsBatch;
import software.amazon.awssdk.services.pinpoint.model.PublicEndpoint;

/**
 * Event streams to Kinesis Data Streams and Firehose ARNs through the AWS SDK's own clients, pointed by
 * --event-stream-endpoint at a local HTTP server that answers the JSON 1.1 protocol as the services do (PutRecords,
 * PutRecordBatch): every record arrives with the endpoint as partition key; a partial failure is sent again from
 * the first failed record on, so that each endpoint's records, read by their last copy, are in order.
 */
class EventStreamAwsEndToEndTest extends EndToEndTest {
    private static final String ROLE = "arn:aws:iam::123456789012:role/pinpoint-stream";
    @RegisterExtension
    final CapturedLogs logs = new CapturedLogs();

    /** One call the fake service took: its operation and body, and the record it answered as failed (or -1). */
    private record Call(String target, JsonNode body, int failedRecord) {}

    private HttpServer aws;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    /** When set, the next PutRecords answers the third record as failed (ProvisionedThroughputExceeded). */
    private final AtomicBoolean failThirdOnce = new AtomicBoolean();
    /** While set, every call answers 500 InternalFailure: records pile up in the queue. */
    private volatile boolean down;

    @BeforeAll
    static void jsonProtocolAndCredentials() {
        // The SDK speaks CBOR to Kinesis unless told otherwise; the local stand-in reads JSON.
        System.setProperty("aws.cborEnabled", "false");
        if (System.getProperty("aws.accessKeyId") == null) {
            System.setProperty("aws.accessKeyId", "AKIDSTREAMTEST");
            System.setProperty("aws.secretAccessKey", "stream-test-secret");
        }
    }

    @BeforeEach
    void startFakeAws() throws Exception {
        aws = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        aws.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            JsonNode request = Json.MAPPER.readTree(body);
            ObjectNode answer = Json.MAPPER.createObjectNode();
            if (down) {
                answer.put("__type", "InternalFailure");
                byte[] bytes = answer.toString().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(500, bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
                return;
            }
            if ("Kinesis_20131202.PutRecords".equals(target)) {
                boolean fail = request.path("Records").size() >= 3 && failThirdOnce.getAndSet(false);
                ArrayNode results = answer.putArray("Records");
                for (int i = 0; i < request.path("Records").size(); i++) {
                    if (fail && i == 2) {
                        results.addObject().put("ErrorCode", "ProvisionedThroughputExceededException")
                                .put("ErrorMessage", "Rate exceeded for shard");
                    } else {
                        results.addObject().put("SequenceNumber", Integer.toString(calls.size() * 1000 + i))
                                .put("ShardId", "shardId-000000000000");
                    }
                }
                answer.put("FailedRecordCount", fail ? 1 : 0);
                calls.add(new Call(target, request, fail ? 2 : -1));
            } else if ("Firehose_20150804.PutRecordBatch".equals(target)) {
                ArrayNode results = answer.putArray("RequestResponses");
                request.path("Records").forEach(record -> results.addObject().put("RecordId", "r" + calls.size()));
                answer.put("FailedPutCount", 0).put("Encrypted", false);
                calls.add(new Call(target, request, -1));
            } else {
                answer.put("__type", "UnknownOperationException");
                byte[] bytes = answer.toString().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(400, bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
                return;
            }
            byte[] bytes = answer.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        aws.start();
        waymark.close();
        ServerConfig config = TestDatabases.configure(ServerConfig.defaults(dataDir.resolve("aws"), 0), store)
                .withEventStream(EventStreamDeliverer.Settings.DEFAULTS
                        .withAwsEndpoint(Optional.of(URI.create("http://127.0.0.1:" + aws.getAddress().getPort())))
                        .withBackoff(Duration.ofMillis(100), Duration.ofMillis(400)));
        waymark = WaymarkTestServer.start(config);
        client = waymark.client();
    }

    @AfterEach
    void stopFakeAws() {
        aws.stop(0);
    }

    private String appStreamingTo(String arn) {
        String app = createApp("aws");
        client.putEventStream(r -> r.applicationId(app).writeEventStream(w -> w.destinationStreamArn(arn)
                .roleArn(ROLE)));
        return app;
    }

    private void putEvents(String app, int perEndpoint) {
        for (int seq = 1; seq <= perEndpoint; seq++) {
            for (String endpoint : List.of("ada", "bob")) {
                int n = seq;
                client.putEvents(r -> r.applicationId(app).eventsRequest(e -> e.batchItem(Map.of(endpoint,
                        EventsBatch.builder().endpoint(PublicEndpoint.builder().channelType("EMAIL")
                                        .address(endpoint + "@example.com").build())
                                .events(Map.of(endpoint + n, Event.builder().eventType("tick")
                                        .timestamp("2026-11-20T10:00:00.000Z")
                                        .attributes(Map.of("seq", Integer.toString(n))).build())).build()))));
            }
        }
    }

    /** The records the fake service took for {@code target}, decoded, each once by event_id, in arrival order. */
    private Map<String, JsonNode> received(String target, List<String> partitionKeys) throws Exception {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (Call call : calls) {
            if (!call.target().equals(target)) {
                continue;
            }
            for (int i = 0; i < call.body().path("Records").size(); i++) {
                if (i == call.failedRecord()) {
                    continue;
                }
                JsonNode entry = call.body().path("Records").get(i);
                String data = new String(Base64.getDecoder().decode(entry.path("Data").textValue()),
                        StandardCharsets.UTF_8);
                JsonNode record = Json.MAPPER.readTree(data);
                if (partitionKeys != null) {
                    partitionKeys.add(entry.path("PartitionKey").textValue() + "=" + record.path("client")
                            .path("client_id").textValue());
                } else {
                    assertThat(data).as("Firehose records are lines").endsWith("\n");
                }
                // Kinesis keeps the records after a failed one of the same call, so a later record of the endpoint
                // can land before the retried one; the remainder is sent again in order: the last copies are.
                byId.remove(record.path("event_id").textValue());
                byId.put(record.path("event_id").textValue(), record);
            }
        }
        return byId;
    }

    @Test
    void kinesisGetsEveryRecordByEndpointAndAPartialFailureResendsTheRemainderInOrder() throws Exception {
        failThirdOnce.set(true);
        String app = appStreamingTo("arn:aws:kinesis:eu-west-1:123456789012:stream/pinpoint-events");
        // The service is down while the records are written: they make one batch of ten when it is back.
        down = true;
        putEvents(app, 5);
        down = false;
        await(() -> uncheckedReceived("Kinesis_20131202.PutRecords").size() == 10);
        List<Call> puts = calls.stream().filter(call -> call.target().equals("Kinesis_20131202.PutRecords")).toList();
        assertThat(puts).allMatch(call -> call.body().path("StreamName").textValue().equals("pinpoint-events"));
        List<String> keys = new ArrayList<>();
        Map<String, JsonNode> records = received("Kinesis_20131202.PutRecords", keys);
        assertThat(keys).as("partition key = client_id").allMatch(pair -> pair.split("=", 2)[0].equals(pair.split("=", 2)[1]));
        assertThat(failThirdOnce).isFalse();
        // After the failure, the next call starts with the record that failed.
        Call failed = puts.stream().filter(call -> call.failedRecord() >= 0).findFirst().orElseThrow();
        assertThat(puts.indexOf(failed)).as("the batch written while the service was down").isZero();
        Call next = puts.get(puts.indexOf(failed) + 1);
        assertThat(next.body().path("Records").get(0)).isEqualTo(failed.body().path("Records").get(2));
        Map<String, Integer> last = new LinkedHashMap<>();
        for (JsonNode record : records.values()) {
            String endpoint = record.path("client").path("client_id").textValue();
            int seq = Integer.parseInt(record.path("attributes").path("seq").textValue());
            assertThat(seq).as("order of " + endpoint).isEqualTo(last.getOrDefault(endpoint, 0) + 1);
            last.put(endpoint, seq);
            assertThat(record.path("application").path("app_id").textValue()).isEqualTo(app);
        }
        logs.expect(Level.WARN, "analytics.EventStreamDeliverer", "event stream of app " + app + ": delivery failed, "
                + "retrying: Kinesis pinpoint-events: ProvisionedThroughputExceededException Rate exceeded for shard");
    }

    @Test
    void firehoseGetsEveryRecordAsALineOfJson() throws Exception {
        String app = appStreamingTo("arn:aws:firehose:us-west-2:123456789012:deliverystream/pinpoint-firehose");
        putEvents(app, 3);
        await(() -> uncheckedReceived("Firehose_20150804.PutRecordBatch").size() == 6);
        assertThat(calls).allMatch(call -> call.body().path("DeliveryStreamName").textValue()
                .equals("pinpoint-firehose"));
        Map<String, JsonNode> records = received("Firehose_20150804.PutRecordBatch", null);
        assertThat(records.values()).allMatch(record -> record.path("event_version").textValue().equals("3.1")
                && record.path("awsAccountId").textValue().equals("123456789012"));
    }

    private Map<String, JsonNode> uncheckedReceived(String target) {
        try {
            return received(target, new ArrayList<>());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 30 s").isLessThan(deadline);
            Thread.sleep(25);
        }
    }
}
