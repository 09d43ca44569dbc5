package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.waymark.CapturedLogs;
import dev.waymark.auth.AccessKey;
import dev.waymark.auth.SecuritySettings;
import dev.waymark.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.pinpoint.PinpointClient;
import software.amazon.awssdk.services.pinpoint.model.BadRequestException;
import software.amazon.awssdk.services.pinpoint.model.ForbiddenException;
import software.amazon.awssdk.services.pinpoint.model.TooManyRequestsException;

/**
 * What an attacker without a key can send, over raw sockets: every refusal is an AWS error, no body is read before
 * the headers authenticate, and nothing they send holds memory or a place. The request edge is in front of the
 * store, so these run on SQLite only.
 */
class RequestEdgeEndToEndTest {
    @RegisterExtension
    final CapturedLogs logs = new CapturedLogs();
    private static final List<Integer> MODELED = List.of(400, 403, 404, 405, 409, 413, 429);

    @TempDir
    Path dataDir;
    WaymarkTestServer waymark;

    @BeforeEach
    void start() throws Exception {
        waymark = WaymarkTestServer.start(dataDir);
    }

    @AfterEach
    void stop() {
        waymark.close();
    }

    @Test
    void jettysOwnRefusalsAreAwsErrorsForEveryMethod() throws Exception {
        for (String method : List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD")) {
            String path = method + " /v1/apps";
            List<String> requests = List.of(
                    path + " HTTP/1.1\r\n\r\n",
                    path + " HTTP/1.1\r\nHost: bad host\r\n\r\n",
                    path + " HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(9000) + "\r\n\r\n",
                    path + " HTTP/1.1\r\nHost: x\r\nExpect: bogus\r\nContent-Length: 2\r\n\r\n{}",
                    method + " /v1/apps/\u00e9\u00ff HTTP/1.1\r\nHost: x\r\n\r\n",
                    method + " /v1/apps#frag HTTP/1.1\r\nHost: x\r\n\r\n",
                    path + " HTTP/1.1\r\nHost: x\r\nContent-Type:\r\n\r\n");
            for (String request : requests) {
                String what = method + " " + request.substring(0, Math.min(request.length(), 60)).replace("\r\n", " | ");
                RawResponse response;
                try {
                    response = RawResponse.of(rawSocket(request));
                } catch (java.net.SocketTimeoutException e) {
                    throw new AssertionError("no answer to " + what, e);
                }
                assertThat(MODELED).as("status of %s: %s", what, response.text).contains(response.status);
                assertThat(response.header("x-amzn-ErrorType")).as(what).isNotNull();
                assertThat(response.header("x-amzn-RequestId")).as(what).matches("[0-9a-f-]{36}");
                if (!method.equals("HEAD")) {
                    assertThat(response.body).as(what).startsWith("{\"Message\":").contains("\"RequestID\":");
                }
            }
        }
    }

    @Test
    void requestLinesJettyCannotParseAreBadRequestsNotServerErrors() throws Exception {
        for (String request : List.of("GET /health\r\n\r\n", "GET /health HTTP/7.0\r\nHost: x\r\n\r\n",
                "GET /v1/apps HTTP/2.0\r\nHost: x\r\n\r\n")) {
            String response = rawSocket(request);
            assertThat(response).as(request).startsWith("HTTP/1.1 400")
                    .contains("x-amzn-ErrorType: BadRequestException").contains("x-amzn-RequestId")
                    .doesNotContain("Internal");
        }
    }

    @Test
    void anUnreadableBodyIsABadRequest() throws Exception {
        RawResponse badChunk = RawResponse.of(rawSocket("POST /v1/apps HTTP/1.1\r\nHost: x\r\n"
                + "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"));
        assertThat(MODELED).as(badChunk.text).contains(badChunk.status);
        assertThat(badChunk.header("x-amzn-ErrorType")).isNotNull();
        String body = "{\"Name\":\"app\"}";
        software.amazon.awssdk.http.SdkHttpRequest signed = signedPost("/v1/apps", body);
        try (Socket socket = new Socket("127.0.0.1", waymark.server().port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((head(signed, "POST /v1/apps") + "Content-Length: " + body.length() + "\r\n\r\n{\"Na")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            socket.shutdownOutput();
            RawResponse shortBody = RawResponse.of(new String(socket.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8));
            assertThat(shortBody.status).as(shortBody.text).isEqualTo(400);
            assertThat(shortBody.header("x-amzn-ErrorType")).isEqualTo("BadRequestException");
            assertThat(shortBody.body).contains("could not be read");
        }
    }

    @Test
    void noBodyIsReadBeforeTheHeadersAuthenticateNorForSystemPathsOrGet() throws Exception {
        for (String request : List.of(
                "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 7000000\r\n\r\n",
                "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 7000000\r\n\r\n",
                "GET /v1/apps HTTP/1.1\r\nHost: x\r\nContent-Length: 7000000\r\n\r\n",
                "POST /v1/apps HTTP/1.1\r\nHost: x\r\nContent-Length: 7000000\r\nAuthorization: AWS4-HMAC-SHA256 "
                        + "Credential=" + "K".repeat(5000) + "/20260101/us-east-1/mobiletargeting/aws4_request, "
                        + "SignedHeaders=host, Signature=" + "0".repeat(64) + "\r\n\r\n")) {
            long started = System.nanoTime();
            try (Socket socket = new Socket("127.0.0.1", waymark.server().port())) {
                socket.setSoTimeout(5_000);
                socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                RawResponse response = RawResponse.of(readResponse(socket.getInputStream()));
                assertThat(MODELED).as(response.text).contains(response.status);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
            }
        }
    }

    @Test
    void unauthenticatedSlowUploadsHoldNoPlace(@TempDir Path otherDir) throws Exception {
        try (WaymarkTestServer bounded = WaymarkTestServer.start(ServerConfig.defaults(otherDir, 0)
                .withSecurity(SecuritySettings.DEFAULTS.withMaxInFlight(2)))) {
            List<Socket> slow = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    Socket socket = new Socket("127.0.0.1", bounded.server().port());
                    socket.getOutputStream().write(("POST /v1/apps HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n"
                            + "Content-Type: application/json\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
                    slow.add(socket);
                }
                Thread.sleep(300);
                assertThat(bounded.client().getApps(r -> { }).applicationsResponse().item()).isEmpty();
            } finally {
                for (Socket socket : slow) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void forgedSignaturesUnderAKnownKeyHoldNoPlaceAndNoBodyBudget(@TempDir Path otherDir) throws Exception {
        try (WaymarkTestServer bounded = WaymarkTestServer.start(ServerConfig.defaults(otherDir, 0)
                .withSecurity(SecuritySettings.DEFAULTS.withMaxInFlight(2)))) {
            // As boto3 signs: no x-amz-content-sha256, so the signature can only be checked once the body is in.
            java.time.ZonedDateTime now = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC);
            String amzDate = now.format(java.time.format.DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'"));
            String forged = "POST /v1/apps/" + "0".repeat(32) + "/journeys HTTP/1.1\r\nHost: x\r\n"
                    + "X-Amz-Date: " + amzDate + "\r\nAuthorization: AWS4-HMAC-SHA256 Credential="
                    + WaymarkTestServer.ACCESS_KEY + "/" + amzDate.substring(0, 8)
                    + "/us-east-1/mobiletargeting/aws4_request, SignedHeaders=host;x-amz-date, Signature="
                    + "0".repeat(64) + "\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{";
            List<Socket> forgers = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 12; i++) {
                    Socket socket = new Socket("127.0.0.1", bounded.server().port());
                    socket.getOutputStream().write(forged.getBytes(StandardCharsets.US_ASCII));
                    forgers.add(socket);
                }
                Thread.sleep(500);
                assertThat(bounded.client().getApps(r -> { }).applicationsResponse().item()).isEmpty();
                assertThat(bounded.client().createApp(r -> r.createApplicationRequest(a -> a.name("served")))
                        .applicationResponse().name()).isEqualTo("served");
                String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(bounded.server().url() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                Matcher held = Pattern.compile("(?m)^waymark_request_body_bytes (\\S+)$").matcher(metrics);
                assertThat(held.find()).isTrue();
                // Bytes are taken from the budget as they arrive, not for the length a forger declares.
                assertThat(Double.parseDouble(held.group(1))).isLessThan(1_000_000);
            } finally {
                for (Socket socket : forgers) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void longAndMadeUpKeyIdsAreRefusedAndAFailingAddressIsSlowedDown() throws Exception {
        assertThatThrownBy(() -> clientWith("K".repeat(5000)).getApps(r -> { }))
                .isInstanceOf(ForbiddenException.class).hasMessageContaining("Malformed Authorization header");
        waymark.client().getApps(r -> { });
        Random random = new Random(12);
        int throttled = 0;
        for (int i = 0; i < 40; i++) {
            String id = "WMK" + Long.toString(Math.abs(random.nextLong()), 36).toUpperCase();
            try {
                clientWith(id).getApps(r -> { });
            } catch (ForbiddenException e) {
                assertThat(e).hasMessageContaining("Unknown access key");
            } catch (TooManyRequestsException e) {
                assertThat(e).hasMessageContaining("Too many failed authentications");
                throttled++;
            }
        }
        assertThat(throttled).isGreaterThan(10);
        // The key that signed correctly before is still served from the same address.
        assertThat(waymark.client().getApps(r -> { }).applicationsResponse().item()).isEmpty();
    }

    @Test
    void aStaleSecretSlowsItsOwnKeyOnlyAndANewKeyFromTheSameAddressIsServed() {
        waymark.client().getApps(r -> { });
        PinpointClient stale = WaymarkTestServer.clientFor(waymark.server().url(), WaymarkTestServer.ACCESS_KEY,
                "a-secret-from-before-a-rotation");
        int throttled = 0;
        for (int i = 0; i < 40; i++) {
            try {
                stale.getApps(r -> { });
            } catch (ForbiddenException e) {
                assertThat(e).hasMessageContaining("Bad signature");
            } catch (TooManyRequestsException e) {
                assertThat(e).hasMessageContaining("Too many failed authentications with access key "
                        + WaymarkTestServer.ACCESS_KEY);
                throttled++;
            }
        }
        assertThat(throttled).as("a key that signed correctly before is still slowed when its secret is wrong")
                .isGreaterThan(10);
        AccessKey fresh = AccessKey.generate(true, Set.of(), false, Instant.now());
        waymark.server().store().accessKeys().insert(fresh);
        assertThat(WaymarkTestServer.clientFor(waymark.server().url(), fresh.id(), fresh.secret())
                .getApps(r -> { }).applicationsResponse().item()).as("a new key from the same address").isEmpty();
    }

    @Test
    void theRegionOfTheCredentialScopeHasTheFormOfARegion() {
        PinpointClient odd = PinpointClient.builder().endpointOverride(waymark.endpoint())
                .region(Region.of("x".repeat(300)))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        WaymarkTestServer.ACCESS_KEY, WaymarkTestServer.SECRET_KEY)))
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1))).build();
        assertThatThrownBy(() -> odd.getApps(r -> { })).isInstanceOf(ForbiddenException.class)
                .hasMessageContaining("region");
    }

    @Test
    void systemPathsAreNeverThrottledAndMetricsNameOperations(@TempDir Path otherDir) throws Exception {
        try (WaymarkTestServer throttled = WaymarkTestServer.start(ServerConfig.defaults(otherDir, 0)
                .withSecurity(SecuritySettings.DEFAULTS.withThrottle(0.1, 1)))) {
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < 6; i++) {
                for (String path : List.of("/health", "/metrics")) {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create(throttled.server().url() + path)).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).as(path + " " + i).isEqualTo(200);
                }
            }
            assertThatThrownBy(() -> throttled.client().getCampaigns(r -> r.applicationId("a")))
                    .isInstanceOf(BadRequestException.class);
            http.send(HttpRequest.newBuilder(URI.create(throttled.server().url() + "/v1/apps")).build(),
                    HttpResponse.BodyHandlers.ofString());
            String metrics = http.send(HttpRequest.newBuilder(URI.create(throttled.server().url() + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("waymark_requests_total{operation=\"GetCampaigns\",status=\"400\"}")
                    .contains("waymark_requests_total{operation=\"unauthenticated\",status=\"403\"}");
            long buckets = metrics.lines()
                    .filter(line -> line.startsWith("waymark_request_duration_seconds_bucket{operation=\"Health\""))
                    .count();
            assertThat(buckets).isBetween(5L, 16L);
        }
    }

    private PinpointClient clientWith(String keyId) {
        return WaymarkTestServer.clientFor(waymark.server().url(), keyId, "secret");
    }

    private software.amazon.awssdk.http.SdkHttpRequest signedPost(String path, String body) {
        return SignedHttp.sign(software.amazon.awssdk.http.SdkHttpRequest.builder()
                        .uri(URI.create(waymark.server().url() + path))
                        .method(software.amazon.awssdk.http.SdkHttpMethod.POST)
                        .putHeader("Content-Type", "application/json").build(),
                body, WaymarkTestServer.ACCESS_KEY, WaymarkTestServer.SECRET_KEY);
    }

    private static String head(software.amazon.awssdk.http.SdkHttpRequest signed, String requestLine) {
        StringBuilder head = new StringBuilder(requestLine).append(" HTTP/1.1\r\n");
        signed.headers().forEach((name, values) -> values.forEach(v -> head.append(name).append(": ").append(v)
                .append("\r\n")));
        return head.toString();
    }

    private String rawSocket(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", waymark.server().port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return readResponse(socket.getInputStream(), request.startsWith("HEAD "));
        }
    }

    /** One response: its head, then its Content-Length of body (or up to the close). */
    static String readResponse(InputStream in) throws Exception {
        return readResponse(in, false);
    }

    /** As above; the answer to HEAD has no body whatever its Content-Length says. */
    static String readResponse(InputStream in, boolean head) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int read;
        while ((read = in.read(buffer)) >= 0) {
            bytes.write(buffer, 0, read);
            String text = bytes.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            if (end >= 0) {
                Matcher length = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)").matcher(text.substring(0, end));
                if (head || length.find() && bytes.size() - end - 4 >= Integer.parseInt(length.group(1))) {
                    break;
                }
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** A response as read off the socket. */
    record RawResponse(String text, int status, String head, String body) {
        static RawResponse of(String text) {
            int end = text.indexOf("\r\n\r\n");
            String head = end < 0 ? text : text.substring(0, end);
            int status = text.length() >= 12 && text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12))
                    : -1;
            return new RawResponse(text, status, head, end < 0 ? "" : text.substring(end + 4));
        }

        String header(String name) {
            Matcher value = Pattern.compile("(?im)^" + Pattern.quote(name) + ": *(.*)$").matcher(head);
            return value.find() ? value.group(1).trim() : null;
        }
    }
}
