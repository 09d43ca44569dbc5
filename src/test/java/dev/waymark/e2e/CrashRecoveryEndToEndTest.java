package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.pinpoint.PinpointClient;
import software.amazon.awssdk.services.pinpoint.model.JourneyRunResponse;

/**
 * kill -9 of a real Waymark process while runs are moving, then a restart on the same data directory: overdue runs
 * start, RUNNING runs go on, nothing is lost or doubled, and the node catches up within 30 s.
 */
class CrashRecoveryEndToEndTest {
    private static final int JOURNEYS = 30;

    @TempDir
    Path workDir;

    @Test
    void killedMidTransitionLosesNothingAndCatchesUp() throws Exception {
        Path dataDir = workDir.resolve("data");
        List<String> journeyIds = new ArrayList<>();
        String appId;
        try (WaymarkProcess first = WaymarkProcess.start(dataDir, "--min-refresh-frequency", "PT1S")) {
            PinpointClient client = WaymarkTestServer.clientFor(first.url());
            appId = client.createApp(r -> r.createApplicationRequest(a -> a.name("crash"))).applicationResponse().id();
            String segment = EndToEndTest.everyone(client, appId);
            for (int i = 0; i < JOURNEYS; i++) {
                int n = i;
                journeyIds.add(client.createJourney(r -> r.applicationId(appId).writeJourneyRequest(SampleJourneys
                        .simple("crash" + n, segment).toBuilder().state("ACTIVE").refreshFrequency("PT1S").build()))
                        .journeyResponse().id());
            }
            // Runs move about 60 times a second now; the kill lands in the middle of that.
            Thread.sleep(2300);
            first.kill();
        }
        Map<String, Integer> runsAtKill = runCounts(dataDir);
        int claimed = claimedExecutions(dataDir);
        // A kill rarely lands inside an execution (each takes milliseconds). Leave a third of the journeys exactly
        // as such a kill leaves them: claimed by the dead process, its last heartbeat at the moment of death. Only
        // db-scheduler's dead-execution detection can free those.
        claimAsKilledNode(dataDir, journeyIds.subList(0, JOURNEYS / 3), System.currentTimeMillis());
        Thread.sleep(3000);

        Instant restartedAt;
        Instant caughtUpAt = null;
        try (WaymarkProcess second = WaymarkProcess.start(dataDir, "--min-refresh-frequency", "PT1S")) {
            restartedAt = Instant.now();
            PinpointClient client = WaymarkTestServer.clientFor(second.url());
            while (caughtUpAt == null && Duration.between(restartedAt, Instant.now()).toSeconds() < 30) {
                if (journeyIds.stream().allMatch(id -> startedSince(client, appId, id, restartedAt))) {
                    caughtUpAt = Instant.now();
                } else {
                    Thread.sleep(100);
                }
            }
            assertThat(caughtUpAt).as("every journey started a run within 30 s of the restart").isNotNull();
            Thread.sleep(1500);
            for (String journeyId : journeyIds) {
                List<JourneyRunResponse> runs = client.getJourneyRuns(r -> r.applicationId(appId).journeyId(journeyId)
                        .pageSize("1000")).journeyRunsResponse().item();
                assertThat(runs).extracting(JourneyRunResponse::runId).doesNotHaveDuplicates();
                assertThat(runs.stream().filter(run -> run.statusAsString().equals("SCHEDULED"))).hasSize(1);
                assertThat(runs.stream().filter(run -> run.statusAsString().equals("RUNNING")).count()).isLessThanOrEqualTo(1);
                assertThat(runs.size()).isGreaterThan(runsAtKill.get(journeyId));
            }
            second.stop();
        }
        System.out.printf("crash recovery: %d journeys (%d claimed at the kill, %d left claimed by the dead node) "
                + "caught up %d ms after the restart%n", JOURNEYS, claimed, JOURNEYS / 3,
                Duration.between(restartedAt, caughtUpAt).toMillis());
        checkHistory(dataDir, journeyIds);
    }

    /** Whether the journey has a run that went RUNNING after {@code since} (its LastUpdateTime says so). */
    private static boolean startedSince(PinpointClient client, String appId, String journeyId, Instant since) {
        return client.getJourneyRuns(r -> r.applicationId(appId).journeyId(journeyId).pageSize("1000"))
                .journeyRunsResponse().item().stream()
                .anyMatch(run -> !run.statusAsString().equals("SCHEDULED")
                        && Instant.parse(run.lastUpdateTime()).isAfter(since));
    }

    /** Straight from the file: sequences 1..n without a gap, every run before the open ones COMPLETED. */
    private static void checkHistory(Path dataDir, List<String> journeyIds) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("waymark.db"))) {
            for (String journeyId : journeyIds) {
                List<String> statuses = new ArrayList<>();
                List<Integer> sequences = new ArrayList<>();
                try (ResultSet rows = db.createStatement().executeQuery("SELECT sequence, status, scheduled_ms, "
                        + "started_ms FROM journey_runs WHERE journey_id = '" + journeyId + "' ORDER BY sequence")) {
                    while (rows.next()) {
                        sequences.add(rows.getInt(1));
                        statuses.add(rows.getString(2));
                        long started = rows.getLong(4);
                        if (!rows.wasNull()) {
                            assertThat(started).as("a run never starts before its time").isGreaterThanOrEqualTo(rows.getLong(3));
                        }
                    }
                }
                for (int i = 0; i < sequences.size(); i++) {
                    assertThat(sequences.get(i)).isEqualTo(i + 1);
                }
                assertThat(statuses.subList(0, statuses.size() - 2)).containsOnly("COMPLETED");
            }
        }
    }

    private static void claimAsKilledNode(Path dataDir, List<String> journeyIds, long heartbeat) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("waymark.db"));
             PreparedStatement claim = db.prepareStatement("UPDATE scheduled_tasks SET picked = 1, "
                     + "picked_by = 'killed-node', last_heartbeat = ?, version = version + 1 "
                     + "WHERE task_name = 'journey-runs' AND task_instance = ?")) {
            for (String journeyId : journeyIds) {
                claim.setLong(1, heartbeat);
                claim.setString(2, journeyId);
                assertThat(claim.executeUpdate()).as("journey %s has an execution", journeyId).isEqualTo(1);
            }
        }
    }

    private static int claimedExecutions(Path dataDir) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("waymark.db"));
             ResultSet rows = db.createStatement().executeQuery(
                     "SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'journey-runs' AND picked = 1")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static Map<String, Integer> runCounts(Path dataDir) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("waymark.db"));
             ResultSet rows = db.createStatement().executeQuery(
                     "SELECT journey_id, COUNT(*) FROM journey_runs GROUP BY journey_id")) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getInt(2));
            }
        }
        return counts;
    }
}
