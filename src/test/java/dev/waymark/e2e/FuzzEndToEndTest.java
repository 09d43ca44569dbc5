package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Sends mutated requests to every implemented operation (bodies, paths, queries, methods, headers, signatures) and
 * fails on any 5xx and on any error without the AWS error shape. Bounded: {@value #REQUESTS} requests or
 * {@value #SECONDS} s. Seeded; the seed is printed, and {@code -Dfuzz.seed=N} repeats a run.
 */
class FuzzEndToEndTest {
    private static final int REQUESTS = 2000;
    private static final int SECONDS = 50;
    private static final List<Integer> MODELED = List.of(400, 403, 404, 405, 409, 413, 429);
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS",
            "TRACE", "FOO");

    @TempDir
    Path dataDir;

    /** One operation's valid request, before mutation. */
    private record Template(String method, String path, Map<String, String> query, String body) {}

    @Test
    void mutatedRequestsGetOnlyModeledAwsErrors() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("FuzzEndToEndTest seed: " + seed + " (repeat with -Dfuzz.seed=" + seed + ")");
        Random random = new Random(seed);
        try (WaymarkTestServer waymark = WaymarkTestServer.start(dataDir)) {
            String app = waymark.client().createApp(r -> r.createApplicationRequest(a -> a.name("fuzz")))
                    .applicationResponse().id();
            String journey = waymark.client().createJourney(r -> r.applicationId(app)
                    .writeJourneyRequest(SampleJourneys.simple("fuzz"))).journeyResponse().id();
            List<Template> templates = templates(app, journey);
            long deadline = System.nanoTime() + SECONDS * 1_000_000_000L;
            int sent = 0;
            Map<Integer, Integer> statuses = new java.util.TreeMap<>();
            while (sent < REQUESTS && System.nanoTime() < deadline) {
                Template template = templates.get(random.nextInt(templates.size()));
                String request = mutate(template, random, waymark.server().url());
                String response = send(waymark.server().port(), request);
                sent++;
                check(seed, request, response);
                statuses.merge(status(response), 1, Integer::sum);
            }
            System.out.println("FuzzEndToEndTest: " + sent + " requests, statuses " + statuses);
            assertThat(sent).isGreaterThan(200);
        }
    }

    private static List<Template> templates(String app, String journey) {
        String journeyJson = "{\"Name\":\"j\",\"StartActivity\":\"a\",\"Activities\":{\"a\":{\"Wait\":{\"WaitTime\":"
                + "{\"WaitFor\":\"PT1H\"}}}},\"Schedule\":{\"Timezone\":\"UTC\"},\"RefreshFrequency\":\"PT1H\"}";
        String arn = "arn%3Aaws%3Amobiletargeting%3Aus-east-1%3A000000000000%3Aapps%2F" + app;
        String none = "0".repeat(32);
        return List.of(
                new Template("POST", "/v1/apps", Map.of(), "{\"Name\":\"fuzz\",\"tags\":{\"k\":\"v\"}}"),
                new Template("GET", "/v1/apps/" + app, Map.of(), null),
                new Template("GET", "/v1/apps", Map.of("page-size", "2"), null),
                new Template("DELETE", "/v1/apps/" + none, Map.of(), null),
                new Template("POST", "/v1/apps/" + app + "/journeys", Map.of(), journeyJson),
                new Template("GET", "/v1/apps/" + app + "/journeys/" + journey, Map.of(), null),
                new Template("GET", "/v1/apps/" + app + "/journeys", Map.of("page-size", "1"), null),
                new Template("PUT", "/v1/apps/" + app + "/journeys/" + journey, Map.of(), journeyJson),
                new Template("PUT", "/v1/apps/" + app + "/journeys/" + journey + "/state", Map.of(),
                        "{\"State\":\"CANCELLED\"}"),
                new Template("DELETE", "/v1/apps/" + app + "/journeys/" + none, Map.of(), null),
                new Template("GET", "/v1/apps/" + app + "/journeys/" + journey + "/runs", Map.of("page-size", "5"),
                        null),
                new Template("POST", "/v1/tags/" + arn, Map.of(), "{\"tags\":{\"k\":\"v\"}}"),
                new Template("DELETE", "/v1/tags/" + arn, Map.of("tagKeys", "k"), null),
                new Template("GET", "/v1/tags/" + arn, Map.of(), null));
    }

    /** The request's bytes (as ISO-8859-1 text): the template changed in one to three ways, then signed or not. */
    private static String mutate(Template template, Random random, String baseUrl) {
        String method = template.method();
        String path = template.path();
        Map<String, String> query = new LinkedHashMap<>(template.query());
        String body = template.body();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        String rawQuerySuffix = "";
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
            switch (random.nextInt(5)) {
                case 0 -> body = mutateBody(body, random);
                case 1 -> path = mutatePath(path, random);
                case 2 -> {
                    if (random.nextInt(4) == 0) {
                        rawQuerySuffix = pick(random, "&%zz", "&page-size=%", "&token=%ff%fe", "&=&&", "&a=b=c");
                    } else {
                        query.put(pick(random, "page-size", "token", "tagKeys", "x", "\u00e9", ""),
                                pick(random, "-1", "0", "99999999999999999999", "abc", "1.5", "", "\u0000",
                                        "x".repeat(5000), "AAAA", "\ud83d\ude00"));
                    }
                }
                case 3 -> method = METHODS.get(random.nextInt(METHODS.size()));
                default -> headers.put(pick(random, "Content-Type", "Content-Encoding", "Expect", "X-Amz-Date",
                                "x-amz-content-sha256", "X-Amz-Security-Token", "Accept"),
                        pick(random, "", "application/x-amz-json-1.1", "gzip", "100-continue", "20000101T000000Z",
                                "UNSIGNED-PAYLOAD", "text/\u00e9", "x".repeat(3000)));
            }
        }
        Map<String, List<String>> sentHeaders = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : headers.entrySet()) {
            sentHeaders.put(header.getKey(), List.of(header.getValue()));
        }
        String encodedQuery = rawQuerySuffix;
        try {
            SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().protocol("http").host("127.0.0.1")
                    .port(java.net.URI.create(baseUrl).getPort()).encodedPath(path)
                    .method(SdkHttpMethod.fromValue(method.equals("FOO") ? "GET" : method));
            query.forEach(unsigned::putRawQueryParameter);
            headers.forEach(unsigned::putHeader);
            SdkHttpRequest request = unsigned.build();
            int signing = random.nextInt(20);
            if (signing < 17) {
                request = SignedHttp.sign(request, body, WaymarkTestServer.ACCESS_KEY, WaymarkTestServer.SECRET_KEY);
            } else if (signing < 19) {
                request = SignedHttp.sign(request, body, "WMK" + "A".repeat(17), "wrong");
            }
            encodedQuery = request.encodedQueryParameters().orElse("") + rawQuerySuffix;
            sentHeaders = request.headers();
        } catch (RuntimeException e) {
            // The SDK refuses to build or sign some mutations (a malformed path); such a request goes unsigned.
        }
        StringBuilder text = new StringBuilder(method).append(' ').append(path);
        if (!encodedQuery.isEmpty()) {
            text.append('?').append(encodedQuery.startsWith("&") ? encodedQuery.substring(1) : encodedQuery);
        }
        text.append(" HTTP/1.1\r\n");
        for (Map.Entry<String, List<String>> header : sentHeaders.entrySet()) {
            header.getValue().forEach(value -> text.append(header.getKey()).append(": ").append(value).append("\r\n"));
        }
        if (!sentHeaders.keySet().stream().anyMatch(name -> name.equalsIgnoreCase("host"))) {
            text.append("Host: 127.0.0.1\r\n");
        }
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            text.append("Content-Length: ").append(bytes.length).append("\r\n");
        }
        text.append("Connection: close\r\n\r\n").append(new String(bytes, StandardCharsets.ISO_8859_1));
        return text.toString();
    }

    private static String mutateBody(String body, Random random) {
        String base = body == null ? "{}" : body;
        return switch (random.nextInt(9)) {
            case 0 -> base.substring(0, random.nextInt(base.length() + 1));
            case 1 -> "[".repeat(2000 + random.nextInt(5000));
            case 2 -> base.replace("\"fuzz\"", "12345678901234567890123").replace("\"j\"", "null");
            case 3 -> base.replace("PT1H", pick(random, "P999999999999D", "PT10000000000000000S", "forever", "-PT1S"));
            case 4 -> "{\"Name\":\"" + "\\ud800".repeat(10) + "\",\"Name\":1}";
            case 5 -> {
                byte[] bytes = new byte[random.nextInt(2000)];
                random.nextBytes(bytes);
                yield new String(bytes, StandardCharsets.ISO_8859_1);
            }
            case 6 -> "{\"Schedule\":{\"StartTime\":\"" + pick(random, "+999999999-12-31T23:59:59Z",
                    "0000-01-01T00:00:00Z", "2026-13-45T99:99:99Z") + "\"},\"Name\":\"x\"}";
            case 7 -> "{\"Activities\":{" + "\"a\":{},".repeat(500) + "\"b\":{}},\"Name\":\"x\"}";
            default -> base.replace("}", ",\"Limits\":{\"DailyCap\":1e400}}");
        };
    }

    private static String mutatePath(String path, Random random) {
        List<String> segments = new ArrayList<>(List.of(path.substring(1).split("/", -1)));
        int at = random.nextInt(segments.size());
        segments.set(at, pick(random, "%zz", "%00", "..", "", "%2F", "%C3%A9", "a".repeat(3000), "%ff%fe",
                segments.get(at) + ";x=1", segments.get(at).toUpperCase(), "*", "%252F"));
        if (random.nextInt(5) == 0) {
            segments.add(pick(random, "runs", "state", "x", ""));
        }
        return "/" + String.join("/", segments);
    }

    private static void check(long seed, String request, String response) {
        String what = "seed " + seed + ", request:\n" + abbreviate(request) + "\nresponse:\n" + abbreviate(response);
        int status = status(response);
        assertThat(status).as("a status line; " + what).isPositive();
        assertThat(status).as("no 5xx; " + what).isLessThan(500);
        if (status >= 400) {
            assertThat(MODELED).as("a modeled status; " + what).contains(status);
            int end = response.indexOf("\r\n\r\n");
            String head = response.substring(0, end).toLowerCase(java.util.Locale.ROOT);
            assertThat(head).as(what).contains("\r\nx-amzn-errortype: ").contains("\r\nx-amzn-requestid: ");
            if (!request.startsWith("HEAD ")) {
                assertThat(response.substring(end + 4)).as(what).startsWith("{\"Message\":").contains("\"RequestID\":");
            }
        }
    }

    private static int status(String response) {
        return response.startsWith("HTTP/1.1 ") && response.length() >= 12
                ? Integer.parseInt(response.substring(9, 12)) : -1;
    }

    private static String send(int port, String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (java.io.IOException e) {
                // The server may answer and close before the whole request is written; read what it said.
            }
            try {
                return RequestEdgeEndToEndTest.readResponse(socket.getInputStream(), request.startsWith("HEAD "));
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no answer within 10 s to:\n" + abbreviate(request), e);
            }
        }
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static String abbreviate(String text) {
        return text.length() <= 1500 ? text : text.substring(0, 1500) + "… (" + text.length() + " chars)";
    }
}
