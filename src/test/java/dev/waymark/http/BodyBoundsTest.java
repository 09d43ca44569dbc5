package dev.waymark.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.waymark.CapturedLogs;
import dev.waymark.auth.SecuritySettings;
import dev.waymark.ops.Metrics;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The request path's bounds on bodies and on what escapes it, on a Jetty with Waymark's handler and tight settings
 * (signatures off: these bounds hold for every caller). Raw sockets, since a client library would not misbehave.
 */
class BodyBoundsTest {
    @RegisterExtension
    final CapturedLogs logs = new CapturedLogs();
    private Server jetty;
    private int port;

    private void start(BodySettings bodies) throws Exception {
        Router router = Router.withPinpointCatalogue()
                .implement("CreateApp", Long.MAX_VALUE,
                        request -> ApiResponse.ok(java.util.Map.of("Length", request.body().length)))
                .implement("GetApps", Route.NO_BODY, request -> {
                    throw new OutOfMemoryError("secret internals at dev.waymark.Hidden");
                });
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        jetty.setHandler(new PinpointHandler(router, bodies, SecuritySettings.DEFAULTS.withoutSignatures(), null,
                new Metrics()));
        jetty.setErrorHandler(new JsonErrorHandler());
        jetty.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        jetty.stop();
    }

    @Test
    void aBodyThatTricklesInIsRefusedAtItsPaceNotAtTheIdleTimeout() throws Exception {
        start(BodySettings.forLimit(10_000).withPace(1000, Duration.ofSeconds(1), Duration.ofSeconds(3)));
        try (Socket socket = socket()) {
            send(socket, "POST /v1/apps HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n{\"Na");
            long started = System.nanoTime();
            String response = readAll(socket);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
            assertThat(response).startsWith("HTTP/1.1 400").contains("x-amzn-ErrorType: BadRequestException")
                    .contains("arrived too slowly");
        }
    }

    @Test
    void bodiesInMemoryShareOneBudget() throws Exception {
        start(BodySettings.forLimit(800).withBudget(1000));
        try (Socket first = socket(); Socket second = socket()) {
            // The first body is declared, so its bytes are taken from the budget before it is read.
            send(first, "POST /v1/apps HTTP/1.1\r\nHost: x\r\nContent-Length: 600\r\n\r\n{");
            Thread.sleep(300);
            send(second, "POST /v1/apps HTTP/1.1\r\nHost: x\r\nContent-Length: 600\r\nConnection: close\r\n\r\n"
                    + "{\"Name\":\"" + "n".repeat(588) + "\"}");
            assertThat(readAll(second)).startsWith("HTTP/1.1 429")
                    .contains("x-amzn-ErrorType: TooManyRequestsException").contains("body memory");
            send(first, "\"Name\":\"" + "n".repeat(589) + "\"}");
            assertThat(readAll(first)).startsWith("HTTP/1.1 200").contains("\"Length\":600");
        }
        try (Socket again = socket()) {
            send(again, "POST /v1/apps HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
            assertThat(readAll(again)).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void aThrowableOutsideTheMapperShowsNoInternals() throws Exception {
        start(BodySettings.forLimit(1000));
        try (Socket socket = socket()) {
            send(socket, "GET /v1/apps HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            String response = readAll(socket);
            assertThat(response).startsWith("HTTP/1.1 500").contains("x-amzn-ErrorType: InternalServerErrorException")
                    .contains("\"Message\":\"Internal server error").doesNotContain("secret")
                    .doesNotContain("OutOfMemoryError").doesNotContain("dev.waymark");
            Matcher requestId = Pattern.compile("x-amzn-RequestId: (\\S+)").matcher(response);
            assertThat(requestId.find()).isTrue();
            assertThat(logs.expect(Level.ERROR, "http.ErrorMappingStep", requestId.group(1)).getThrowableProxy())
                    .satisfies(thrown -> assertThat(thrown.getMessage()).contains("secret internals"));
        }
    }

    @Test
    void aBodyThatCannotBeReadIsTheClientsError() throws Exception {
        start(BodySettings.forLimit(1000));
        try (Socket socket = socket()) {
            send(socket, "POST /v1/apps HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
            assertThat(readAll(socket)).startsWith("HTTP/1.1 400").contains("x-amzn-ErrorType: BadRequestException")
                    .contains("x-amzn-RequestId: ").contains("\"RequestID\":\"");
        }
        try (Socket socket = socket()) {
            send(socket, "POST /v1/apps HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"Name\"");
            socket.shutdownOutput();
            assertThat(readAll(socket)).startsWith("HTTP/1.1 400").contains("x-amzn-ErrorType: BadRequestException")
                    .contains("could not be read");
        }
    }

    private Socket socket() throws Exception {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void send(Socket socket, String text) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** The response: until the server closes, or (keep-alive) until the body of Content-Length has arrived. */
    static String readAll(Socket socket) throws Exception {
        InputStream in = socket.getInputStream();
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[8192];
        try {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                text.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
                if (complete(text.toString())) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no complete response within the socket timeout; got: " + text, e);
        }
        return text.toString();
    }

    private static boolean complete(String response) {
        int headersEnd = response.indexOf("\r\n\r\n");
        if (headersEnd < 0) {
            return false;
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)")
                .matcher(response.substring(0, headersEnd));
        return length.find() && response.length() - headersEnd - 4 >= Integer.parseInt(length.group(1));
    }
}
