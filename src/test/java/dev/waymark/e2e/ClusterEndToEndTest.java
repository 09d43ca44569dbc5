package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.pinpoint.PinpointClient;
import software.amazon.awssdk.services.pinpoint.model.ApplicationsResponse;

/**
 * Three real Waymark processes on one PostgreSQL database, 200 ACTIVE refreshing journeys, and one node killed
 * with SIGKILL half-way: every due run happens exactly once, none is stuck, and the survivors take over.
 */
class ClusterEndToEndTest {
    private static final int JOURNEYS = 200;
    private static final long REFRESH_MS = 3000;
    /** How long after the kill the survivors may take to run every journey again: a bound, not a speed target. */
    private static final long TAKEOVER_BOUND_MS = 60_000;
    /** The nodes' heartbeat, passed to each: an execution is dead after four missed ones (the missed-beats limit). */
    private static final long HEARTBEAT_MS = 2000;
    private static final long DEAD_AFTER_MS = 4 * HEARTBEAT_MS;

    @TempDir
    Path dir;

    @Test
    void threeNodesShareTheWorkAndSurviveTheDeathOfOne() throws Exception {
        String db = TestDatabases.newPostgresDatabase();
        List<WaymarkProcess> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                nodes.add(WaymarkProcess.start(dir.resolve("node" + i), "--db-url", db,
                        "--min-refresh-frequency", "PT1S", "--scheduler-heartbeat", "PT" + HEARTBEAT_MS / 1000 + "S"));
            }
            List<PinpointClient> clients = nodes.stream().map(node -> WaymarkTestServer.clientFor(node.url())).toList();
            String appId = clients.get(0).createApp(r -> r.createApplicationRequest(a -> a.name("cluster")))
                    .applicationResponse().id();
            String segment = EndToEndTest.everyone(clients.get(0), appId);
            for (int i = 0; i < JOURNEYS; i++) {
                int n = i;
                // Any node answers any request.
                clients.get(i % 3).createJourney(r -> r.applicationId(appId).writeJourneyRequest(SampleJourneys
                        .simple("cluster" + n, segment).toBuilder().state("ACTIVE").refreshFrequency("PT3S").build()));
            }
            String otherApp = clients.get(1).createApp(r -> r.createApplicationRequest(a -> a.name("second")))
                    .applicationResponse().id();
            ApplicationsResponse first = clients.get(0).getApps(r -> r.pageSize("1")).applicationsResponse();
            ApplicationsResponse second = clients.get(2).getApps(r -> r.pageSize("1").token(first.nextToken()))
                    .applicationsResponse();
            assertThat(second.item().get(0).id()).as("a token from node 0 works on node 2").isEqualTo(otherApp);

            Thread.sleep(6000);
            long killedAt = System.currentTimeMillis();
            nodes.get(1).kill();
            int claimed = claimAsKilledNode(db, killedAt);

            try (Connection connection = DriverManager.getConnection(db)) {
                // The survivors have taken over once every journey started a run after the kill, no RUNNING run
                // is left as it was before it, and no execution is still claimed by the killed node. How soon
                // follows the machine's load (dead-execution detection, a backlog of entries), so the test waits
                // for that state, up to a bound, then checks it. A claimed journey may still start runs meanwhile
                // (its planning also runs when its entry finishes), so the executions themselves are watched.
                Map<String, List<long[]>> runs = runsByJourney(connection);
                long deadline = killedAt + TAKEOVER_BOUND_MS;
                long freedAt = claimedByKilledNode(connection) == 0 ? System.currentTimeMillis() : 0;
                while ((!takenOver(runs, killedAt) || freedAt == 0) && System.currentTimeMillis() < deadline) {
                    Thread.sleep(500);
                    runs = runsByJourney(connection);
                    if (freedAt == 0 && claimedByKilledNode(connection) == 0) {
                        freedAt = System.currentTimeMillis();
                    }
                }
                long now = System.currentTimeMillis();
                assertThat(runs).hasSize(JOURNEYS);
                long takeover = 0;
                for (Map.Entry<String, List<long[]>> journey : runs.entrySet()) {
                    List<long[]> history = journey.getValue();
                    long scheduled = history.stream().filter(run -> run[1] == 0).count();
                    assertThat(scheduled).as("SCHEDULED runs of %s", journey.getKey()).isEqualTo(1);
                    for (int i = 0; i < history.size(); i++) {
                        long[] run = history.get(i);
                        assertThat(run[0]).as("sequence").isEqualTo(i + 1);
                        if (i > 0) {
                            assertThat(run[2]).as("slots only move forward, never twice").isGreaterThan(history.get(i - 1)[2]);
                            assertThat((run[2] - history.get(0)[2]) % REFRESH_MS).as("on the refresh grid").isZero();
                        }
                        if (run[1] == 1) {
                            // Stuck means left RUNNING by the dead node: nothing moved it since the kill. How long a
                            // live node's run stays RUNNING follows the machine's load, not the cluster's health.
                            assertThat(run[4]).as("a RUNNING run moved since the kill (%d ms ago)", now - killedAt)
                                    .isGreaterThan(killedAt);
                        }
                    }
                    long firstStartAfterKill = history.stream().filter(run -> run[3] > killedAt)
                            .mapToLong(run -> run[3]).min().orElse(Long.MAX_VALUE);
                    takeover = Math.max(takeover, firstStartAfterKill - killedAt);
                }
                System.out.printf("cluster: %d journeys, %d runs, %d executions left claimed by the killed node, "
                        + "seen freed %d ms after its last heartbeat; every journey started a run within %d ms of the "
                        + "kill%n", JOURNEYS, runs.values().stream().mapToInt(List::size).sum(), claimed,
                        freedAt == 0 ? -1 : freedAt - killedAt, takeover);
                assertThat(freedAt).as("the executions claimed by the killed node were freed").isPositive();
                // Seen by a poll, so no earlier than they were freed, which only dead-execution detection does.
                assertThat(freedAt - killedAt).as("the claimed executions waited for dead-execution detection")
                        .isGreaterThanOrEqualTo(DEAD_AFTER_MS);
                assertThat(takeover).as("every journey started a run after the kill").isLessThan(TAKEOVER_BOUND_MS);
            }
        } finally {
            for (WaymarkProcess node : nodes) {
                node.close();
            }
        }
    }

    /**
     * Leaves 20 idle executions as a SIGKILL mid-execution leaves them: claimed by the dead node, its last
     * heartbeat at the moment of death. Only db-scheduler's dead-execution detection on the survivors frees them.
     */
    private static int claimAsKilledNode(String db, long heartbeat) throws Exception {
        try (Connection connection = DriverManager.getConnection(db);
             java.sql.PreparedStatement claim = connection.prepareStatement("UPDATE scheduled_tasks SET picked = TRUE, "
                     + "picked_by = 'killed-node', last_heartbeat = to_timestamp(? / 1000.0), version = version + 1 "
                     + "WHERE task_name = 'journey-runs' AND picked = FALSE AND task_instance IN (SELECT task_instance "
                     + "FROM scheduled_tasks WHERE task_name = 'journey-runs' AND picked = FALSE LIMIT 20)")) {
            claim.setLong(1, heartbeat);
            int claimed = claim.executeUpdate();
            assertThat(claimed).isPositive();
            return claimed;
        }
    }

    private static int claimedByKilledNode(Connection connection) throws Exception {
        try (java.sql.Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM scheduled_tasks WHERE picked_by = "
                     + "'killed-node'")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** Whether every journey started a run after the kill and every RUNNING run was updated since it. */
    private static boolean takenOver(Map<String, List<long[]>> runs, long killedAt) {
        return runs.size() == JOURNEYS && runs.values().stream().allMatch(history ->
                history.stream().anyMatch(run -> run[3] > killedAt)
                        && history.stream().noneMatch(run -> run[1] == 1 && run[4] <= killedAt));
    }

    /** Per journey, its runs by sequence: {sequence, status (0 SCHEDULED, 1 RUNNING, 2 other), scheduled, started, updated}. */
    private static Map<String, List<long[]>> runsByJourney(Connection connection) throws Exception {
        Map<String, List<long[]>> runs = new HashMap<>();
        try (java.sql.Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT journey_id, sequence, status, scheduled_ms, "
                     + "COALESCE(started_ms, 0), updated_ms FROM journey_runs ORDER BY journey_id, sequence")) {
            while (rows.next()) {
                String status = rows.getString(3);
                runs.computeIfAbsent(rows.getString(1), k -> new ArrayList<>()).add(new long[] {
                        rows.getLong(2), status.equals("SCHEDULED") ? 0 : status.equals("RUNNING") ? 1 : 2,
                        rows.getLong(4), rows.getLong(5), rows.getLong(6)});
            }
        }
        return runs;
    }
}
