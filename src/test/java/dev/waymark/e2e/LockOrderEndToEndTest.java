package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.waymark.CapturedLogs;
import dev.waymark.runs.JourneyRun;
import dev.waymark.runs.RunStatus;
import dev.waymark.runs.StoredRuns;
import dev.waymark.server.ServerConfig;
import dev.waymark.wire.Ids;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.pinpoint.PinpointClient;

/**
 * On PostgreSQL every writer locks a journey row before its runs, as the run planner does, so DeleteApp and the
 * planner never deadlock. SQLite has one writer at a time and no row locks. A delete racing the engine is no failure
 * of the engine's either: it logs no warning.
 */
class LockOrderEndToEndTest {
    @TempDir
    Path dataDir;

    @RegisterExtension
    final CapturedLogs logs = new CapturedLogs();

    @Test
    void deleteAppWaitsForThePlannersJourneyLockInsteadOfDeadlocking() throws Exception {
        String url = TestDatabases.newPostgresDatabase();
        try (WaymarkTestServer waymark = WaymarkTestServer.start(ServerConfig.defaults(dataDir, 0).withDbUrl(url))) {
            PinpointClient client = waymark.client();
            Journey journey = journeyWithRun(waymark, RunStatus.RUNNING);

            // What the planner does: the journey row FOR UPDATE, then (a moment later) its runs.
            try (Connection planner = lockJourney(url, journey.id())) {
                CompletableFuture<Void> delete = CompletableFuture.runAsync(() ->
                        client.deleteApp(r -> r.applicationId(journey.appId())));
                Thread.sleep(500);
                try (PreparedStatement complete = planner.prepareStatement(
                        "UPDATE journey_runs SET status = 'COMPLETED' WHERE run_id = ?")) {
                    complete.setString(1, journey.runId());
                    assertThat(complete.executeUpdate()).isEqualTo(1);
                }
                planner.commit();
                delete.get(30, TimeUnit.SECONDS);
            }
            assertThat(waymark.server().store().apps().find(journey.appId())).isEmpty();
        }
        assertNoWarnings();
    }

    /**
     * The engine takes up a new RUNNING run while a DeleteApp deleting its journey waits for the same journey lock,
     * queued first: the delete goes first, and the engine, finding the journey gone, gives the run no entry row
     * (which the foreign key would refuse, failing the engine's transaction with a warning).
     */
    @Test
    void theEngineTakesUpNoRunOfAJourneyDeletedUnderIt() throws Exception {
        String url = TestDatabases.newPostgresDatabase();
        try (WaymarkTestServer waymark = WaymarkTestServer.start(ServerConfig.defaults(dataDir, 0).withDbUrl(url));
             Connection monitor = DriverManager.getConnection(url)) {
            PinpointClient client = waymark.client();
            // Finished, so the engine leaves it alone until it is made RUNNING below.
            Journey journey = journeyWithRun(waymark, RunStatus.COMPLETED);

            try (Connection holder = lockJourney(url, journey.id())) {
                CompletableFuture<Void> delete = CompletableFuture.runAsync(() ->
                        client.deleteApp(r -> r.applicationId(journey.appId())));
                awaitLockWaiters(monitor, 1);
                // No key of the run changes, so this takes no lock on its journey.
                try (PreparedStatement running = monitor.prepareStatement(
                        "UPDATE journey_runs SET status = 'RUNNING' WHERE run_id = ?")) {
                    running.setString(1, journey.runId());
                    assertThat(running.executeUpdate()).isEqualTo(1);
                }
                // The engine has found the run and waits for its journey, behind the delete.
                awaitLockWaiters(monitor, 2);
                holder.commit();
                delete.get(30, TimeUnit.SECONDS);
            }
            assertThat(waymark.server().store().apps().find(journey.appId())).isEmpty();
            awaitLockWaiters(monitor, 0);
        }
        // Closed: the engine's threads have ended, and logged whatever they were going to.
        assertNoWarnings();
    }

    /** An app, a journey in it, and one run of that journey. */
    private record Journey(String appId, String id, String runId) {}

    /** Creates an app and a journey through the API, and stores one run of it in the given status. */
    private static Journey journeyWithRun(WaymarkTestServer waymark, RunStatus status) {
        PinpointClient client = waymark.client();
        String appId = client.createApp(r -> r.createApplicationRequest(a -> a.name("locks"))).applicationResponse()
                .id();
        String journeyId = client.createJourney(r -> r.applicationId(appId)
                .writeJourneyRequest(SampleJourneys.simple("locked"))).journeyResponse().id();
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        String runId = Ids.newId();
        StoredRuns.insert(waymark.jdbcUrl(), new JourneyRun(journeyId, runId, 1, status, at, at, at, at));
        return new Journey(appId, journeyId, runId);
    }

    /** A connection in an open transaction that holds the journey's row lock, as the run planner takes it. */
    private static Connection lockJourney(String url, String journeyId) throws SQLException {
        Connection connection = DriverManager.getConnection(url);
        try (PreparedStatement lock = connection.prepareStatement("SELECT id FROM journeys WHERE id = ? FOR UPDATE")) {
            connection.setAutoCommit(false);
            lock.setString(1, journeyId);
            lock.executeQuery().close();
            return connection;
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    /** Waits up to 10 s for {@code count} sessions of this database to wait for a lock. */
    private static void awaitLockWaiters(Connection monitor, int count) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int waiting;
        while ((waiting = lockWaiters(monitor)) != count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(waiting + " sessions wait for a lock, not " + count);
            }
            Thread.sleep(20);
        }
    }

    private static int lockWaiters(Connection monitor) throws SQLException {
        try (PreparedStatement query = monitor.prepareStatement("SELECT COUNT(*) FROM pg_stat_activity WHERE "
                + "datname = current_database() AND wait_event_type = 'Lock'");
             ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private void assertNoWarnings() {
        assertThat(logs.events().stream().filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
                .map(event -> event.getLoggerName() + ": " + event.getFormattedMessage()).toList()).isEmpty();
    }
}
