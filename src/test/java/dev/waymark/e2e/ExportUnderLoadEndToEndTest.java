package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.runs.JourneyRun;
import dev.waymark.runs.RunStatus;
import dev.waymark.runs.StoredRuns;
import dev.waymark.store.sql.SqlStore;
import dev.waymark.store.sql.SqlTransfer;
import dev.waymark.wire.Ids;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An export of a large store, held after its first 64 KB (standing in for a slow disk), while writes and reads go on
 * against the running server: none of them waits for the export or fails.
 */
class ExportUnderLoadEndToEndTest extends EndToEndTest {
    private static final int RUNS = 2000;

    @Test
    void writesAndReadsGoOnWhileAnExportIsHeldMidWay() throws Exception {
        String appId = createApp("exported");
        String journeyId = client.createJourney(r -> r.applicationId(appId)
                .writeJourneyRequest(SampleJourneys.simple("history"))).journeyResponse().id();
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        List<JourneyRun> history = new ArrayList<>();
        for (int i = 1; i <= RUNS; i++) {
            Instant at = base.plusSeconds(i);
            history.add(new JourneyRun(journeyId, Ids.newId(), i, RunStatus.COMPLETED, at, at, at, at));
        }
        StoredRuns.insert(waymark.jdbcUrl(), history);

        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HeldOutput output = new HeldOutput(64 * 1024, held, release);
        CompletableFuture<Map<String, Integer>> export;
        try (SqlStore exporting = SqlStore.open(waymark.jdbcUrl())) {
            export = CompletableFuture.supplyAsync(() -> SqlTransfer.export(exporting, output, () -> { }));
            assertThat(held.await(30, TimeUnit.SECONDS)).as("the export reached 64 KB").isTrue();

            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < 5; i++) {
                int n = i;
                client.createJourney(r -> r.applicationId(appId).writeJourneyRequest(SampleJourneys.simple("w" + n)));
                client.createApp(r -> r.createApplicationRequest(a -> a.name("during" + n)));
                client.updateJourney(r -> r.applicationId(appId).journeyId(journeyId)
                        .writeJourneyRequest(SampleJourneys.simple("renamed" + n)));
                client.getApp(r -> r.applicationId(appId));
                client.getJourneyRuns(r -> r.applicationId(appId).journeyId(journeyId));
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                        URI.create(waymark.server().url() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            }
            assertThat(export).as("the export is still held").isNotDone();
            release.countDown();
            assertThat(export.get(60, TimeUnit.SECONDS)).containsEntry("journey_runs", RUNS).containsEntry("apps", 1);
        }

        // The held export is a complete, valid file of the store as it was when the export began.
        try (SqlStore restored = SqlStore.open("jdbc:sqlite:" + dataDir.resolve("restored.db"))) {
            Map<String, Integer> counts = SqlTransfer.importFrom(restored, new BufferedReader(new InputStreamReader(
                    new ByteArrayInputStream(output.bytes()), StandardCharsets.UTF_8)), () -> { });
            assertThat(counts).containsEntry("journey_runs", RUNS).containsEntry("journeys", 1);
        }
    }

    /** Collects what is written, and blocks the writer once it has written {@code holdAfter} bytes. */
    private static final class HeldOutput extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final int holdAfter;
        private final CountDownLatch held;
        private final CountDownLatch release;

        HeldOutput(int holdAfter, CountDownLatch held, CountDownLatch release) {
            this.holdAfter = holdAfter;
            this.held = held;
            this.release = release;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            bytes.write(b, off, len);
            if (bytes.size() >= holdAfter && held.getCount() > 0) {
                held.countDown();
                try {
                    if (!release.await(120, TimeUnit.SECONDS)) {
                        throw new IOException("never released");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
        }

        synchronized byte[] bytes() {
            return bytes.toByteArray();
        }
    }
}
