package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.waymark.server.ServerConfig;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.pinpoint.model.BadRequestException;
import software.amazon.awssdk.services.pinpoint.model.ChannelType;
import software.amazon.awssdk.services.pinpoint.model.EndpointResponse;
import software.amazon.awssdk.services.pinpoint.model.ImportJobResponse;

/**
 * A hostile client against the audience operations: input that must be a 400 naming the member or limit (never a
 * 500), limits that must bound what a client can make the server store or compute, and update semantics.
 */
class AudienceHostileEndToEndTest extends EndToEndTest {
    private static final String ROLE = "arn:aws:iam::000000000000:role/import";

    @TempDir
    Path files;

    Path imports;

    /** Restarts this test's Waymark on the same store with --import-dir and --export-dir set. */
    void withDirectories() throws Exception {
        imports = Files.createDirectories(files.resolve("imports"));
        Path exports = Files.createDirectories(files.resolve("exports"));
        ServerConfig same = store.equals("sqlite") ? ServerConfig.defaults(dataDir, 0)
                : ServerConfig.defaults(dataDir, 0).withDbUrl(waymark.jdbcUrl());
        waymark.close();
        waymark = WaymarkTestServer.start(same.withImportDir(imports).withExportDir(exports));
        client = waymark.client();
    }

    ImportJobResponse importFile(String app, String format, String url) throws InterruptedException {
        String id = client.createImportJob(r -> r.applicationId(app).importJobRequest(i -> i.format(format)
                .roleArn(ROLE).s3Url(url))).importJobResponse().id();
        return ImportExportJobsEndToEndTest.awaitImport(client, app, id);
    }

    @Test
    void aCsvWithAByteOrderMarkImportsItsFirstColumn() throws Exception {
        withDirectories();
        String app = createApp("hostile");
        // Excel's "CSV UTF-8" starts the file with U+FEFF.
        Path file = imports.resolve("bom.csv");
        Files.write(file, ("\uFEFFId,ChannelType,Address\r\nbom-1,EMAIL,a@example.com\r\n")
                .getBytes(StandardCharsets.UTF_8));
        ImportJobResponse job = importFile(app, "CSV", file.toUri().toString());
        assertThat(job.jobStatusAsString()).as(String.valueOf(job.definition())).isEqualTo("COMPLETED");
        assertThat(job.totalFailures()).isZero();
        assertThat(client.getEndpoint(r -> r.applicationId(app).endpointId("bom-1")).endpointResponse().address())
                .isEqualTo("a@example.com");
    }

    @Test
    void malformedCsvAndEscapingUrlsEndInARefusalOrAFailedJobNeverAHang() throws Exception {
        withDirectories();
        String app = createApp("hostile");
        Path outside = Files.writeString(files.resolve("secret.csv"), "Id\nx\n");
        for (String url : List.of("file://" + imports + "/%2e%2e/secret.csv", "file://" + imports + "/..%2Fsecret.csv",
                "file://otherhost" + outside, "file://localhost" + imports + "/../secret.csv",
                "file:" + imports + "/../secret.csv", "FILE://" + imports + "/../secret.csv")) {
            assertThatThrownBy(() -> client.createImportJob(r -> r.applicationId(app).importJobRequest(i -> i
                    .format("CSV").roleArn(ROLE).s3Url(url)))).as(url).isInstanceOf(BadRequestException.class);
        }
        Path quote = Files.writeString(imports.resolve("quote.csv"), "Id,Address\nq1,\"unterminated\nq2,x\n");
        assertThat(importFile(app, "CSV", quote.toUri().toString()).jobStatusAsString()).isIn("FAILED", "COMPLETED");
        Path huge = Files.writeString(imports.resolve("huge.csv"), "Id,Address\nh1," + "x".repeat(2_000_000)
                + "\nh2,ok@example.com\n");
        ImportJobResponse hugeJob = importFile(app, "CSV", huge.toUri().toString());
        assertThat(hugeJob.jobStatusAsString()).isIn("FAILED", "COMPLETED");
        assertThat(hugeJob.failures()).isNotEmpty().allSatisfy(f -> assertThat(f.length()).isLessThan(2000));
        Path hugeJson = Files.writeString(imports.resolve("huge.json"), "{\"Id\":\"j1\",\"Address\":\""
                + "x".repeat(2_000_000) + "\"}\n{\"Id\":\"j2\",\"Address\":\"ok\"}\n" + "[".repeat(5000) + "\n");
        ImportJobResponse jsonJob = importFile(app, "JSON", hugeJson.toUri().toString());
        assertThat(jsonJob.jobStatusAsString()).isEqualTo("COMPLETED");
        assertThat(jsonJob.totalFailures()).isEqualTo(2);
        assertThat(client.getEndpoint(r -> r.applicationId(app).endpointId("j2")).endpointResponse().address())
                .isEqualTo("ok");
    }

    @Test
    void anEffectiveDateBeyondEpochMillisIsABadRequestNotA500() throws Exception {
        String app = createApp("hostile");
        for (String date : List.of("+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z")) {
            HttpResponse<String> response = put(app, "ep", "{\"EffectiveDate\":\"" + date + "\"}");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(response.body()).contains("EffectiveDate");
            // The same endpoint carried by PutEvents is refused alone, not the whole request with a 500.
            HttpResponse<String> events = send("POST", "/v1/apps/" + app + "/events", "{\"BatchItem\":{\"ep\":{"
                    + "\"Endpoint\":{\"EffectiveDate\":\"" + date + "\"},\"Events\":{\"e1\":{\"EventType\":\"t\","
                    + "\"Timestamp\":\"2026-01-01T00:00:00Z\"}}}}}");
            assertThat(events.statusCode()).as(events.body()).isEqualTo(202);
            assertThat(events.body()).contains("EffectiveDate");
        }
    }

    @Test
    void aMetricThatOverflowsADoubleIsRefusedByName() throws Exception {
        String app = createApp("hostile");
        for (String number : List.of("1e400", "-1e400", "1" + "0".repeat(400))) {
            HttpResponse<String> response = put(app, "ep", "{\"Metrics\":{\"visits\":" + number + "}}");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(response.body()).contains("Metrics.visits");
        }
        HttpResponse<String> latitude = put(app, "ep", "{\"Location\":{\"Latitude\":1e400}}");
        assertThat(latitude.statusCode()).as(latitude.body()).isEqualTo(400);
        assertThat(latitude.body()).contains("Location.Latitude");
    }

    @Test
    void wrongTypesNullsAndStringNumbersAreBadRequests() throws Exception {
        String app = createApp("hostile");
        for (String body : List.of("{\"Attributes\":{\"a\":[\"x\",null]}}", "{\"Attributes\":{\"a\":\"x\"}}",
                "{\"Attributes\":[]}", "{\"Metrics\":{\"m\":\"5\"}}", "{\"Location\":{\"Latitude\":\"45\"}}",
                "{\"Location\":{\"Latitude\":91}}", "{\"Location\":{\"Longitude\":-180.5}}",
                "{\"User\":\"u\"}", "{\"User\":{\"UserId\":5}}", "{\"User\":{\"UserId\":\"\"}}",
                "{\"Demographic\":{\"Timezone\":\"Mars/Olympus\"}}", "{\"EffectiveDate\":\"yesterday\"}",
                "{\"EffectiveDate\":5}", "{\"ChannelType\":\"FAX\"}", "{\"EndpointStatus\":\"DELETED\"}",
                "{\"OptOut\":true}", "[]", "\"x\"", "{\"Attributes\":{\"" + "n".repeat(51) + "\":[\"x\"]}}",
                "{\"Attributes\":{\"\":[\"x\"]}}", "{\"Metrics\":{\"\":1}}")) {
            HttpResponse<String> response = put(app, "ep", body);
            assertThat(response.statusCode()).as(body + " -> " + response.body()).isEqualTo(400);
        }
        // Nulls where a member may be absent are read as absent, not as a server error.
        HttpResponse<String> nulls = put(app, "ep", "{\"User\":null,\"Attributes\":null,\"Location\":null,"
                + "\"Metrics\":null,\"Demographic\":null,\"EffectiveDate\":null}");
        assertThat(nulls.statusCode()).as(nulls.body()).isIn(202, 400);
    }

    @Test
    void idsWithSlashesUnicodeAndDollarsAreHandledOnTheWire() {
        String app = createApp("hostile");
        for (String id : List.of("a/b", "é-ñ-東京", "a b", "a%2Fb", "a+b", "x?y=1")) {
            client.updateEndpoint(r -> r.applicationId(app).endpointId(id)
                    .endpointRequest(e -> e.channelType(ChannelType.CUSTOM).address("addr-" + id)));
            EndpointResponse got = client.getEndpoint(r -> r.applicationId(app).endpointId(id)).endpointResponse();
            assertThat(got.id()).isEqualTo(id);
        }
        for (String id : List.of("a$b", "{x}", "x".repeat(129))) {
            assertThatThrownBy(() -> client.updateEndpoint(r -> r.applicationId(app).endpointId(id)
                    .endpointRequest(e -> e.address("a")))).isInstanceOf(BadRequestException.class)
                    .hasMessageContaining("endpoint Id");
        }
    }

    @Test
    void aBacktrackingGlobInRemoveAttributesDoesNotHangWrites() throws Exception {
        String app = createApp("hostile");
        // 30 stars between 'a's: a regex translation backtracks through ~C(50,30) ways before giving up.
        String glob = "*a".repeat(30) + "*b";
        client.removeAttributes(r -> r.applicationId(app).attributeType("endpoint-custom-attributes")
                .updateAttributesRequest(u -> u.blacklist(glob)));
        long start = System.nanoTime();
        client.updateEndpoint(r -> r.applicationId(app).endpointId("ep")
                .endpointRequest(e -> e.attributes(Map.of("a".repeat(50), List.of("x")))));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(client.getEndpoint(r -> r.applicationId(app).endpointId("ep")).endpointResponse().attributes())
                .containsKey("a".repeat(50));
        // The glob still works as a glob.
        client.updateEndpoint(r -> r.applicationId(app).endpointId("ep2")
                .endpointRequest(e -> e.attributes(Map.of("a".repeat(31) + "b", List.of("x"), "ab", List.of("y")))));
        assertThat(client.getEndpoint(r -> r.applicationId(app).endpointId("ep2")).endpointResponse().attributes())
                .containsOnlyKeys("ab");
    }

    @Test
    void theBlacklistOfAnAppIsBounded() {
        String app = createApp("hostile");
        BadRequestException refused = null;
        for (int round = 0; round < 30 && refused == null; round++) {
            int r0 = round;
            List<String> patterns = IntStream.range(0, 100).mapToObj(i -> "p" + r0 + "-" + i + "*").toList();
            try {
                client.removeAttributes(r -> r.applicationId(app).attributeType("endpoint-custom-attributes")
                        .updateAttributesRequest(u -> u.blacklist(patterns)));
            } catch (BadRequestException e) {
                refused = e;
            }
        }
        assertThat(refused).as("3,000 blacklist entries accepted for one app").isNotNull();
        assertThat(refused.getMessage()).contains("Blacklist").contains("per app");
    }

    @Test
    void anItemMadeInactiveByALaterItemsAddressStaysActiveWhenUpdatedAgain() {
        String app = createApp("hostile");
        client.updateEndpointsBatch(r -> r.applicationId(app).endpointBatchRequest(b -> b.item(
                i -> i.id("e1").channelType(ChannelType.EMAIL).address("same@example.com"),
                i -> i.id("e2").channelType(ChannelType.EMAIL).address("same@example.com"),
                // Applied in order, as separate updates would be: e1 becomes ACTIVE again (the update of e1).
                i -> i.id("e1").attributes(Map.of("k", List.of("v"))))));
        assertThat(status(app, "e2")).isEqualTo("ACTIVE");
        assertThat(status(app, "e1")).as("e1 updated last, after e2 took its address").isEqualTo("ACTIVE");
    }

    @Test
    void anAttributeMapBeyondTheAppLimitIsRefusedNamingIt() throws Exception {
        String app = createApp("hostile");
        String attributes = IntStream.range(0, 5000).mapToObj(i -> "\"a" + i + "\":[\"v\"]")
                .collect(Collectors.joining(",", "{", "}"));
        HttpResponse<String> response = put(app, "ep", "{\"Attributes\":" + attributes + "}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("250");
        String values = IntStream.range(0, 51).mapToObj(i -> "\"v\"").collect(Collectors.joining(",", "[", "]"));
        HttpResponse<String> tooMany = put(app, "ep", "{\"User\":{\"UserAttributes\":{\"a\":" + values + "}}}");
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(tooMany.body()).contains("User.UserAttributes.a").contains("50 values");
    }

    @Test
    void putEventsWithManyEndpointsAndEventsIsBounded() throws Exception {
        String app = createApp("hostile");
        String events = IntStream.range(0, 101).mapToObj(i -> "\"e" + i + "\":{\"EventType\":\"t\","
                + "\"Timestamp\":\"2026-01-01T00:00:00Z\"}").collect(Collectors.joining(",", "{", "}"));
        HttpResponse<String> response = send("POST", "/v1/apps/" + app + "/events",
                "{\"BatchItem\":{\"ep\":{\"Endpoint\":{},\"Events\":" + events + "}}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("100");
        HttpResponse<String> nan = send("POST", "/v1/apps/" + app + "/events", "{\"BatchItem\":{\"ep\":{"
                + "\"Endpoint\":{\"Metrics\":{\"m\":1e999}},\"Events\":{\"e\":{\"EventType\":\"t\","
                + "\"Timestamp\":\"2026-01-01T00:00:00Z\",\"Metrics\":{\"x\":1e999}}}}}}");
        assertThat(nan.statusCode()).as(nan.body()).isEqualTo(202);
        assertThat(nan.body()).contains("\"StatusCode\":400").doesNotContain("\"StatusCode\":202");
    }

    @Test
    void noAudienceInputIsAServerError() throws Exception {
        String app = createApp("hostile");
        String a = "/v1/apps/" + app;
        String event = "{\"EventType\":\"t\",\"Timestamp\":\"2026-01-01T00:00:00Z\"}";
        String[][] calls = {
            {"PUT", a + "/endpoints/%24", "{}"}, {"PUT", a + "/endpoints/%00", "{}"}, {"PUT", a + "/endpoints/%FF", "{}"},
            {"PUT", a + "/endpoints/" + "%F0%9F%98%80".repeat(100), "{}"}, {"GET", a + "/endpoints/" + "x".repeat(4000), null},
            {"DELETE", a + "/endpoints/%2F", null}, {"GET", a + "/users/%00", null}, {"DELETE", a + "/users/", null},
            {"GET", a + "/users/" + "u".repeat(4000), null},
            {"PUT", a + "/endpoints", "{\"Item\":[null]}"}, {"PUT", a + "/endpoints", "{\"Item\":[{}]}"},
            {"PUT", a + "/endpoints", "{\"Item\":[{\"Id\":5}]}"}, {"PUT", a + "/endpoints", "{\"Item\":{}}"},
            {"PUT", a + "/endpoints", "{\"Item\":[{\"Id\":\"x\",\"User\":{\"UserAttributes\":{\"k\":[5]}}}]}"},
            {"PUT", a + "/endpoints/e", "{\"Demographic\":{\"Timezone\":5}}"},
            {"PUT", a + "/endpoints/e", "{\"Demographic\":[]}"}, {"PUT", a + "/endpoints/e", "{\"Location\":[]}"},
            {"PUT", a + "/endpoints/e", "{\"EffectiveDate\":\"2026-13-45T99:99:99Z\"}"},
            {"PUT", a + "/endpoints/e", "{\"EffectiveDate\":\"\"}"}, {"PUT", a + "/endpoints/e", "{\"Address\":\"\\u0000\"}"},
            {"PUT", a + "/endpoints/e", "{\"Attributes\":{\"\\u0000\":[\"\\u0000\"]}}"},
            {"PUT", a + "/endpoints/e", "{\"Metrics\":{\"m\":1e-400}}"},
            {"PUT", a + "/endpoints/e", "{\"Address\":\"\\ud800\",\"Attributes\":{\"\\udc00\":[\"\\ud83d\"]}}"},
            {"PUT", a + "/endpoints/%ED%A0%80", "{}"},
            {"POST", a + "/events", "{\"BatchItem\":{\"\\ud800\":{\"Endpoint\":{},\"Events\":{\"\\udc00\":{"
                    + "\"EventType\":\"\\ud800\",\"Timestamp\":\"2026-01-01T00:00:00Z\"}}}}}"},
            {"PUT", a + "/endpoints/e", "{\"Location\":{\"Latitude\":-0.0,\"Longitude\":1e-320}}"},
            {"PUT", a + "/attributes/endpoint-custom-attributes", "{\"Blacklist\":[null]}"},
            {"PUT", a + "/attributes/endpoint-custom-attributes", "{\"Blacklist\":\"x\"}"},
            {"PUT", a + "/attributes/endpoint-custom-attributes", "{\"Blacklist\":[\"\"]}"},
            {"PUT", a + "/attributes/nope", "{\"Blacklist\":[\"x\"]}"},
            {"PUT", a + "/attributes/endpoint-custom-attributes", "{}"},
            {"POST", a + "/events", "{\"BatchItem\":{\"\":{\"Endpoint\":{},\"Events\":{\"e\":" + event + "}}}}"},
            {"POST", a + "/events", "{\"BatchItem\":{\"x\":{\"Endpoint\":[],\"Events\":{\"\":" + event + "}}}}"},
            {"POST", a + "/events", "{\"BatchItem\":{\"x\":{\"Endpoint\":{},\"Events\":{\"e\":null}}}}"},
            {"POST", a + "/events", "{\"BatchItem\":{\"x\":null}}"}, {"POST", a + "/events", "{\"BatchItem\":[]}"},
            {"POST", a + "/events", "{\"BatchItem\":{\"X\":{\"Endpoint\":{},\"Events\":{\"e\":" + event
                    + "}},\"x\":{\"Endpoint\":{\"Address\":\"a\"},\"Events\":{\"e\":" + event + "}}}}"},
            {"POST", a + "/events", "{\"BatchItem\":{\"x\":{\"Endpoint\":{},\"Events\":{\"e\":{\"EventType\":\"t\","
                    + "\"Timestamp\":\"2026-01-01T00:00:00Z\",\"Session\":{\"Id\":\"s\",\"StartTimestamp\":5,"
                    + "\"Duration\":1e30}}}}}}"},
            {"GET", a + "/jobs/import?page-size=abc&token=%00", null}, {"GET", a + "/jobs/import?page-size=-1", null},
            {"GET", a + "/jobs/import?page-size=99999999999", null}, {"GET", a + "/jobs/export?token=" + "A".repeat(3000), null},
            {"GET", a + "/jobs/import/%00", null}, {"GET", a + "/jobs/export/" + "x".repeat(3000), null},
            {"POST", a + "/jobs/import", "{\"Format\":\"CSV\",\"RoleArn\":\"r\",\"S3Url\":\"s3://\"}"},
            {"POST", a + "/jobs/import", "{\"Format\":\"CSV\",\"RoleArn\":\"r\",\"S3Url\":\"https://\"}"},
            {"POST", a + "/jobs/import", "{\"Format\":\"CSV\",\"RoleArn\":\"r\",\"S3Url\":\"s3://b/\\u0000\"}"},
            {"POST", a + "/jobs/import", "{\"Format\":\"CSV\",\"RoleArn\":\"r\",\"S3Url\":\"s3://b_/%zz\"}"},
            {"POST", a + "/jobs/import", "{\"Format\":\"CSV\",\"RoleArn\":\"r\",\"S3Url\":\"s3:///k\"}"},
            {"POST", a + "/jobs/export", "{\"RoleArn\":\"r\",\"S3UrlPrefix\":\"https://[::1\"}"},
            {"POST", a + "/jobs/import", "{\"Format\":\"CSV\",\"RoleArn\":\"r\",\"S3Url\":\"s3://b/k\","
                    + "\"DefineSegment\":true,\"SegmentName\":null,\"SegmentId\":5}"},
            {"PUT", a + "/settings", "{\"QuietTime\":{\"Start\":null}}"}, {"PUT", a + "/settings", "{\"Limits\":[]}"},
            {"PUT", a + "/settings", "{\"Limits\":{\"Daily\":1e10}}"}, {"PUT", a + "/settings", "{\"Limits\":{\"Daily\":1.5}}"},
            {"PUT", a + "/settings", "{\"CampaignHook\":{\"Mode\":\"X\"}}"},
            {"PUT", a + "/settings", "{\"JourneyLimits\":{\"TimeframeCap\":null}}"},
        };
        for (String[] call : calls) {
            HttpResponse<String> response = send(call[0], call[1], call[2]);
            assertThat(response.statusCode()).as(String.join(" ", call) + " -> " + response.body()).isLessThan(500);
        }
    }

    @Test
    void aNulCharacterIsRefusedOnTheWireAndInImportsNotA500OrAStuckJob() throws Exception {
        withDirectories();
        String app = createApp("hostile");
        for (String body : List.of("{\"Address\":\"a\\u0000b\"}", "{\"Attributes\":{\"k\\u0000\":[\"v\"]}}",
                "{\"User\":{\"UserId\":\"\\u0000\"}}")) {
            HttpResponse<String> response = put(app, "ep", body);
            assertThat(response.statusCode()).as(body + " -> " + response.body()).isEqualTo(400);
            assertThat(response.body()).contains("NUL");
        }
        HttpResponse<String> events = send("POST", "/v1/apps/" + app + "/events", "{\"BatchItem\":{\"ep\":{"
                + "\"Endpoint\":{},\"Events\":{\"e\\u0000\":{\"EventType\":\"t\\u0000\","
                + "\"Timestamp\":\"2026-01-01T00:00:00Z\"}}}}}");
        assertThat(events.statusCode()).as(events.body()).isEqualTo(400);
        Path csv = Files.writeString(imports.resolve("nul.csv"), "Id,Address\nn1,a\u0000b\nn2,ok@example.com\n");
        ImportJobResponse csvJob = importFile(app, "CSV", csv.toUri().toString());
        assertThat(csvJob.jobStatusAsString()).isEqualTo("COMPLETED");
        assertThat(csvJob.totalFailures()).isEqualTo(1);
        Path json = Files.writeString(imports.resolve("nul.json"),
                "{\"Id\":\"j1\",\"Address\":\"a\\u0000b\"}\n{\"Id\":\"j2\",\"Address\":\"ok\"}\n");
        ImportJobResponse jsonJob = importFile(app, "JSON", json.toUri().toString());
        assertThat(jsonJob.jobStatusAsString()).isEqualTo("COMPLETED");
        assertThat(jsonJob.totalFailures()).isEqualTo(1);
        assertThat(client.getEndpoint(r -> r.applicationId(app).endpointId("j2")).endpointResponse().address())
                .isEqualTo("ok");
    }

    @Test
    void anUnregisteredImportChecksItsIdsToo() throws Exception {
        withDirectories();
        String app = createApp("hostile");
        Path file = Files.writeString(imports.resolve("ids.json"), "{\"Id\":\"" + "x".repeat(5000) + "\"}\n"
                + "{\"Id\":\"a$b\"}\n{\"Id\":\"\"}\n{\"Id\":\"ok\"}\n");
        String id = client.createImportJob(r -> r.applicationId(app).importJobRequest(i -> i.format("JSON")
                .roleArn(ROLE).s3Url(file.toUri().toString()).registerEndpoints(false).defineSegment(true)
                .segmentName("only-ids"))).importJobResponse().id();
        ImportJobResponse job = ImportExportJobsEndToEndTest.awaitImport(client, app, id);
        assertThat(job.jobStatusAsString()).as(String.valueOf(job.failures())).isEqualTo("COMPLETED");
        assertThat(job.totalFailures()).as(String.valueOf(job.failures())).isEqualTo(3);
        assertThat(job.failures()).anySatisfy(f -> assertThat(f).contains("line 1").contains("the limit is 128"));
    }

    @Test
    void userAttributesSynchronisedFromAnotherEndpointDoNotTakeAnEndpointPast15Kb() throws Exception {
        String app = createApp("hostile");
        List<String> values = IntStream.range(0, 10).mapToObj(i -> "v".repeat(99) + i).toList();
        Map<String, List<String>> big = IntStream.range(0, 14).boxed()
                .collect(Collectors.toMap(i -> "attr" + i, i -> values));
        client.updateEndpoint(r -> r.applicationId(app).endpointId("e1").endpointRequest(e -> e.attributes(big)
                .user(u -> u.userId("u"))));
        HttpResponse<String> before = send("GET", "/v1/apps/" + app + "/endpoints/e1", null);
        assertThat(before.body().getBytes(StandardCharsets.UTF_8).length).isLessThan(15 * 1024);
        // e2 is small, but its user attributes become e1's too.
        BadRequestException refused = null;
        try {
            client.updateEndpoint(r -> r.applicationId(app).endpointId("e2").endpointRequest(e -> e
                    .user(u -> u.userId("u").userAttributes(Map.of("s1", values, "s2", values, "s3", values)))));
        } catch (BadRequestException e) {
            refused = e;
        }
        HttpResponse<String> e1 = send("GET", "/v1/apps/" + app + "/endpoints/e1", null);
        assertThat(refused).as("e1 is now " + e1.body().length() + " bytes").isNotNull();
        assertThat(refused.getMessage()).contains("endpoint 'e1'").contains("15 KB");
        assertThat(e1.body()).isEqualTo(before.body());
        // Within the limit the attributes are shared as before.
        client.updateEndpoint(r -> r.applicationId(app).endpointId("e2").endpointRequest(e -> e
                .user(u -> u.userId("u").userAttributes(Map.of("small", List.of("x"))))));
        assertThat(client.getEndpoint(r -> r.applicationId(app).endpointId("e1")).endpointResponse().user()
                .userAttributes()).containsOnlyKeys("small");
    }

    @Test
    void endpointWritesRacingDeleteAppAreNotFoundNeverAServerError() throws Exception {
        List<String> serverErrors = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int round = 0; round < 8; round++) {
            String app = createApp("race-" + round);
            client.updateEndpoint(r -> r.applicationId(app).endpointId("e0").endpointRequest(e -> e.address("a")));
            java.util.concurrent.atomic.AtomicBoolean gone = new java.util.concurrent.atomic.AtomicBoolean();
            List<Thread> writers = IntStream.range(0, 3).mapToObj(t -> new Thread(() -> {
                for (int i = 0; !gone.get() || i % 5 != 0; i++) {
                    int n = i;
                    try {
                        client.updateEndpointsBatch(r -> r.applicationId(app).endpointBatchRequest(b -> b.item(
                                IntStream.range(0, 20).mapToObj(k -> software.amazon.awssdk.services.pinpoint.model
                                        .EndpointBatchItem.builder().id("e" + t + "-" + n + "-" + k).address("same")
                                        .user(u -> u.userId("u" + k)).attributes(Map.of("k" + (k % 3), List.of("v")))
                                        .build()).toList())));
                    } catch (software.amazon.awssdk.services.pinpoint.model.NotFoundException e) {
                        return;
                    } catch (software.amazon.awssdk.awscore.exception.AwsServiceException e) {
                        if (e.statusCode() >= 500) {
                            serverErrors.add(e.getMessage());
                        }
                        return;
                    }
                }
            })).toList();
            writers.forEach(Thread::start);
            Thread.sleep(150);
            client.deleteApp(r -> r.applicationId(app));
            gone.set(true);
            for (Thread writer : writers) {
                writer.join(30_000);
            }
        }
        assertThat(serverErrors).isEmpty();
    }

    private String status(String app, String id) {
        return client.getEndpoint(r -> r.applicationId(app).endpointId(id)).endpointResponse().endpointStatus();
    }

    private HttpResponse<String> put(String app, String endpointId, String body) throws Exception {
        return send("PUT", "/v1/apps/" + app + "/endpoints/" + endpointId, body);
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return SignedHttp.send(waymark.server().url(), method, path, body);
    }
}
