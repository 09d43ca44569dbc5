package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM on a real process during a burst of requests, with the JSON log format on. */
class ShutdownEndToEndTest {
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$");

    @TempDir
    Path dir;

    @Test
    void sigtermDuringABurstFinishesOrRefusesEveryRequestAndExitsZero() throws Exception {
        WaymarkProcess waymark = WaymarkProcess.start(dir.resolve("data"), false, "--auth", "none",
                "--log-format", "json");
        URI url = URI.create(waymark.url());
        ConcurrentHashMap<String, Integer> outcomes = new ConcurrentHashMap<>();
        AtomicBoolean go = new AtomicBoolean(true);
        ExecutorService workers = Executors.newFixedThreadPool(8);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            running.add(workers.submit(() -> {
                while (go.get()) {
                    outcomes.merge(oneRequest(url), 1, Integer::sum);
                }
                return null;
            }));
        }
        Thread.sleep(1500);
        waymark.stopWithoutWaiting();
        Thread.sleep(3000);
        go.set(false);
        for (Future<?> worker : running) {
            worker.get(30, TimeUnit.SECONDS);
        }
        workers.shutdown();
        int exit = waymark.waitForExit();

        System.out.println("shutdown during a burst: " + outcomes);
        assertThat(exit).isZero();
        assertThat(outcomes).doesNotContainKey("cut").containsKey("complete 200").containsKey("refused");
        assertThat(outcomes.keySet()).allMatch(outcome -> outcome.equals("refused") || outcome.equals("complete 200")
                || outcome.equals("complete 503"));

        List<String> log = Files.readAllLines(waymark.log());
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> events = new ArrayList<>();
        for (String line : log) {
            if (line.startsWith("{")) {
                events.add(json.readTree(line));
            }
        }
        assertThat(events).anySatisfy(event -> {
            assertThat(event.path("loggerName").asText()).isEqualTo("dev.waymark.access");
            assertThat(event.toString()).contains("\"operation\"").contains("GetApps");
        });
        assertThat(events).anySatisfy(event -> assertThat(event.path("message").asText()).contains("stopping gracefully"));
    }

    /**
     * One GetApps on a fresh connection: "complete STATUS" when the whole response arrived, "refused" when the
     * connection was refused or closed before any byte of a response, "cut" when a response stopped half-way.
     */
    private static String oneRequest(URI url) {
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("GET /v1/apps HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] response = readAll(socket.getInputStream());
            if (response.length == 0) {
                return "refused";
            }
            String text = new String(response, StandardCharsets.ISO_8859_1);
            int headerEnd = text.indexOf("\r\n\r\n");
            Matcher length = CONTENT_LENGTH.matcher(headerEnd < 0 ? "" : text.substring(0, headerEnd));
            if (headerEnd < 0 || !length.find() || response.length - headerEnd - 4 != Integer.parseInt(length.group(1))) {
                return "cut";
            }
            return "complete " + text.substring(9, 12);
        } catch (ConnectException e) {
            return "refused";
        } catch (IOException e) {
            // Reset before a response began: the request was refused, not cut.
            return "refused";
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                bytes.write(buffer, 0, read);
            }
        } catch (IOException e) {
            if (bytes.size() == 0) {
                throw e;
            }
            // A reset after part of a response: the caller sees it as cut.
        }
        return bytes.toByteArray();
    }
}
