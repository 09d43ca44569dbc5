package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.runs.JourneyRun;
import dev.waymark.runs.RunStatus;
import dev.waymark.runs.StoredRuns;
import dev.waymark.server.ServerConfig;
import dev.waymark.wire.Ids;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.pinpoint.PinpointClient;
import software.amazon.awssdk.services.pinpoint.model.ApplicationResponse;
import software.amazon.awssdk.services.pinpoint.model.JourneyResponse;
import software.amazon.awssdk.services.pinpoint.model.JourneyRunsResponse;

/** A server restarted on the same data directory answers exactly as before, page tokens included. */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"sqlite", "postgresql"})
class RestartEndToEndTest {
    @Parameter
    String store;

    @TempDir
    Path dataDir;

    @Test
    void everythingSurvivesARestart() throws Exception {
        ServerConfig config = TestDatabases.configure(ServerConfig.defaults(dataDir, 0), store);
        ApplicationResponse app;
        JourneyResponse journey;
        JourneyRunsResponse firstPage;
        JourneyRunsResponse secondPageBefore;
        try (WaymarkTestServer waymark = WaymarkTestServer.start(config)) {
            PinpointClient client = waymark.client();
            app = client.createApp(r -> r.createApplicationRequest(a -> a.name("durable").tags(Map.of("k", "v"))))
                    .applicationResponse();
            journey = client.createJourney(r -> r.applicationId(app.id())
                    .writeJourneyRequest(SampleJourneys.everything("durable"))).journeyResponse();
            for (int i = 1; i <= 3; i++) {
                Instant at = Instant.parse("2026-05-01T00:00:00Z").plusSeconds(i);
                StoredRuns.insert(waymark.jdbcUrl(), new JourneyRun(journey.id(), Ids.newId(), i,
                        RunStatus.COMPLETED, at, at, at, at));
            }
            firstPage = client.getJourneyRuns(r -> r.applicationId(app.id()).journeyId(journey.id()).pageSize("2"))
                    .journeyRunsResponse();
            secondPageBefore = client.getJourneyRuns(r -> r.applicationId(app.id()).journeyId(journey.id())
                    .token(firstPage.nextToken())).journeyRunsResponse();
        }

        try (WaymarkTestServer restarted = WaymarkTestServer.start(config)) {
            PinpointClient client = restarted.client();
            assertThat(client.getApp(r -> r.applicationId(app.id())).applicationResponse()).isEqualTo(app);
            assertThat(client.getJourney(r -> r.applicationId(app.id()).journeyId(journey.id())).journeyResponse())
                    .isEqualTo(journey);
            assertThat(client.getJourneyRuns(r -> r.applicationId(app.id()).journeyId(journey.id()).pageSize("2"))
                    .journeyRunsResponse()).isEqualTo(firstPage);
            assertThat(client.getJourneyRuns(r -> r.applicationId(app.id()).journeyId(journey.id())
                    .token(firstPage.nextToken())).journeyRunsResponse()).isEqualTo(secondPageBefore);
            assertThat(secondPageBefore.item()).hasSize(1);
        }
    }
}
