package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.runs.JourneyRun;
import dev.waymark.runs.RunStatus;
import dev.waymark.runs.StoredRuns;
import dev.waymark.server.ServerConfig;
import dev.waymark.wire.Ids;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.pinpoint.PinpointClient;

/**
 * On PostgreSQL every writer locks a journey row before its runs, as the run planner does, so DeleteApp and the
 * planner never deadlock. SQLite has one writer at a time and no row locks.
 */
class LockOrderEndToEndTest {
    @TempDir
    Path dataDir;

    @Test
    void deleteAppWaitsForThePlannersJourneyLockInsteadOfDeadlocking() throws Exception {
        String url = TestDatabases.newPostgresDatabase();
        try (WaymarkTestServer waymark = WaymarkTestServer.start(ServerConfig.defaults(dataDir, 0).withDbUrl(url))) {
            PinpointClient client = waymark.client();
            String appId = client.createApp(r -> r.createApplicationRequest(a -> a.name("locks"))).applicationResponse()
                    .id();
            String journeyId = client.createJourney(r -> r.applicationId(appId)
                    .writeJourneyRequest(SampleJourneys.simple("planned"))).journeyResponse().id();
            Instant at = Instant.parse("2026-01-01T00:00:00Z");
            String runId = Ids.newId();
            StoredRuns.insert(waymark.jdbcUrl(), new JourneyRun(journeyId, runId, 1, RunStatus.RUNNING,
                    at, at, at, at));

            // What the planner does: the journey row FOR UPDATE, then (a moment later) its runs.
            try (Connection planner = DriverManager.getConnection(url)) {
                planner.setAutoCommit(false);
                try (PreparedStatement lock = planner.prepareStatement("SELECT id FROM journeys WHERE id = ? FOR UPDATE")) {
                    lock.setString(1, journeyId);
                    lock.executeQuery().close();
                }
                CompletableFuture<Void> delete = CompletableFuture.runAsync(() ->
                        client.deleteApp(r -> r.applicationId(appId)));
                Thread.sleep(500);
                try (PreparedStatement complete = planner.prepareStatement(
                        "UPDATE journey_runs SET status = 'COMPLETED' WHERE run_id = ?")) {
                    complete.setString(1, runId);
                    assertThat(complete.executeUpdate()).isEqualTo(1);
                }
                planner.commit();
                delete.get(30, TimeUnit.SECONDS);
            }
            assertThat(waymark.server().store().apps().find(appId)).isEmpty();
        }
    }
}
