package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Bodies that are small on the wire and huge as a JSON tree ({@code [{},{},…]}: two bytes, one object node each),
 * sent signed to a real server process with a 256 MB heap at the default settings: each gets its modeled error and
 * the server keeps answering. Without per-operation limits and a token cap, one such request ran it out of heap.
 */
class BodyBombEndToEndTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void jsonBombsGetTheirModeledErrorsAndTheServerStaysUp(@TempDir Path dir) throws Exception {
        try (WaymarkProcess waymark = WaymarkProcess.start(dir.resolve("data"), true,
                List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError"))) {
            String url = waymark.url();
            HttpResponse<String> created = send(url, "/v1/apps", "{\"Name\":\"bombed\"}");
            assertThat(created.statusCode()).isEqualTo(201);
            String appId = created.body().replaceAll(".*\"Id\":\"([0-9a-f]+)\".*", "$1");

            // A few at once, as an attacker would: each tree alone takes most of the heap.
            String arrayBomb = bomb("[", "{}", "]", 7_000_000);
            for (HttpResponse<String> response : sendTogether(url, "/v1/apps", arrayBomb, 3)) {
                assertThat(response.statusCode()).isEqualTo(413);
                assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("PayloadTooLargeException");
                assertThat(response.body()).contains("limit of 65536 bytes for CreateApp");
            }

            String journeys = "/v1/apps/" + appId + "/journeys";
            for (HttpResponse<String> response : sendTogether(url, journeys, objectBomb(6_000_000), 3)) {
                assertThat(response.statusCode()).isEqualTo(413);
                assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("PayloadTooLargeException");
                assertThat(response.body()).contains("for CreateJourney");
            }

            // Under the CreateJourney limit, so it reaches the parser: the token cap refuses it.
            HttpResponse<String> objectBomb = send(url, journeys, objectBomb(1_000_000));
            assertThat(objectBomb.statusCode()).isEqualTo(400);
            assertThat(objectBomb.headers().firstValue("x-amzn-ErrorType")).hasValue("BadRequestException");
            assertThat(objectBomb.body()).contains("Token count").contains("100000");

            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(url + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(send(url, "/v1/apps", "{\"Name\":\"after\"}").statusCode()).isEqualTo(201);
        }
    }

    private List<HttpResponse<String>> sendTogether(String url, String path, String body, int count)
            throws Exception {
        java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(count);
        try {
            List<java.util.concurrent.Future<HttpResponse<String>>> sent = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                sent.add(senders.submit(() -> send(url, path, body)));
            }
            List<HttpResponse<String>> responses = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<HttpResponse<String>> response : sent) {
                responses.add(response.get(120, java.util.concurrent.TimeUnit.SECONDS));
            }
            return responses;
        } finally {
            senders.shutdownNow();
        }
    }

    private static String objectBomb(int bytes) {
        StringBuilder body = new StringBuilder(bytes + 16).append('{');
        for (int i = 0; body.length() < bytes - 16; i++) {
            body.append(i == 0 ? "" : ",").append("\"a").append(i).append("\":{}");
        }
        return body.append('}').toString();
    }

    private static String bomb(String open, String unit, String close, int bytes) {
        int count = (bytes - 2) / (unit.length() + 1);
        return open + String.join(",", java.util.Collections.nCopies(count, unit)) + close;
    }

    private HttpResponse<String> send(String url, String path, String body) throws Exception {
        SdkHttpRequest signed = SignedHttp.sign(SdkHttpRequest.builder().uri(URI.create(url + path))
                .method(SdkHttpMethod.POST).putHeader("Content-Type", "application/json").build(),
                body, WaymarkTestServer.ACCESS_KEY, WaymarkTestServer.SECRET_KEY);
        HttpRequest.Builder request = HttpRequest.newBuilder(signed.getUri()).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        signed.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
