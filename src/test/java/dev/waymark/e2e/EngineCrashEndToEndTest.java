package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.store.sql.SqliteDataDirectory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.pinpoint.PinpointClient;

/**
 * kill -9 of a real Waymark process while it enters a run's 3,000 endpoints, and again while it sends their first
 * messages, then a restart on the same store: every endpoint gets both messages of {@code Wait → SMS → Wait → SMS},
 * repeats only with the first copy's Idempotency-Key, no participant lost or moved twice (every counter exact), the
 * run and the journey COMPLETED (engine.md E5).
 */
class EngineCrashEndToEndTest {
    private static final int ENDPOINTS = 3000;

    @TempDir
    Path workDir;

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void killedMidEntryAndMidSendingLosesNoParticipantAndMovesNoneTwice(String store) throws Exception {
        Path dataDir = workDir.resolve("data");
        String jdbcUrl;
        List<String> arguments = new ArrayList<>();
        if (store.equals("postgresql")) {
            jdbcUrl = TestDatabases.newPostgresDatabase();
            arguments.addAll(List.of("--db-url", jdbcUrl));
        } else {
            SqliteDataDirectory.prepare(dataDir);
            jdbcUrl = "jdbc:sqlite:" + dataDir.resolve(SqliteDataDirectory.DATABASE);
        }
        try (EngineCrashJourney journey = new EngineCrashJourney(ENDPOINTS, jdbcUrl)) {
            arguments.addAll(journey.serverArguments());
            String[] args = arguments.toArray(String[]::new);

            long atFirstKill;
            try (WaymarkProcess first = WaymarkProcess.start(dataDir, args);
                 PinpointClient client = WaymarkTestServer.clientFor(first.url())) {
                journey.publish(client);
                // The entry commits a page of 1,000 participants at a time: the kill follows the first page.
                EngineCrashJourney.await(Duration.ofSeconds(30), () -> journey.participants() > 0,
                        () -> "no participant entered");
                first.kill();
                journey.mark("kill 1");
            }
            journey.killed();
            atFirstKill = journey.participants();

            int sentAtSecondKill;
            try (WaymarkProcess second = WaymarkProcess.start(dataDir, args)) {
                journey.mark("restarted");
                EngineCrashJourney.await(Duration.ofSeconds(30), () -> journey.delivered("sms1") >= ENDPOINTS / 4,
                        () -> "sms1 delivered " + journey.delivered("sms1"));
                second.kill();
                journey.mark("kill 2");
            }
            journey.killed();
            sentAtSecondKill = journey.delivered("sms1");
            long postsAtSecondKill = journey.posts();

            long repeats;
            try (WaymarkProcess third = WaymarkProcess.start(dataDir, args);
                 PinpointClient client = WaymarkTestServer.clientFor(third.url())) {
                journey.mark("restarted");
                journey.awaitEnd(client, Duration.ofSeconds(60));
                repeats = journey.checkEnd(client);
                assertThat(third.stop()).isZero();
            }
            System.out.printf("Engine crash on %s: first kill with %d of %d participants entered; second kill with "
                    + "%d of %d first messages received (%d requests); %d repeats, each after a kill with its first "
                    + "copy's key (by the kill that caused them: %s); %s%n", store, atFirstKill, ENDPOINTS,
                    sentAtSecondKill, ENDPOINTS, postsAtSecondKill, repeats, journey.repeatsByKill(),
                    journey.timeline());
            assertThat(atFirstKill).as("the first kill landed mid-entry").isLessThan(ENDPOINTS);
            assertThat(sentAtSecondKill).as("the second kill landed mid-sending").isLessThan(ENDPOINTS);
        }
    }
}
