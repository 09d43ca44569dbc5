package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.MutableClock;
import dev.waymark.server.ServerConfig;
import dev.waymark.store.sql.Dialect;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.pinpoint.model.ApplicationResponse;
import software.amazon.awssdk.services.pinpoint.model.ApplicationsResponse;
import software.amazon.awssdk.services.pinpoint.model.BadRequestException;
import software.amazon.awssdk.services.pinpoint.model.NotFoundException;
import software.amazon.awssdk.services.pinpoint.model.PinpointException;

/** Requests that race a delete or each other get the modeled answer, and the store stays consistent. */
class StoreRacesEndToEndTest extends EndToEndTest {
    private static final int THREADS = 4;

    @Test
    void createJourneyRacingDeleteAppAnswersNotFoundNever500() throws Exception {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int round = 0; round < 5; round++) {
                String appId = createApp("doomed" + round);
                List<Future<?>> creators = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    creators.add(pool.submit(() -> {
                        // Until this creator sees the app gone.
                        while (true) {
                            try {
                                client.createJourney(r -> r.applicationId(appId)
                                        .writeJourneyRequest(SampleJourneys.simple("racing")));
                            } catch (PinpointException e) {
                                failures.add(e);
                                return;
                            }
                        }
                    }));
                }
                Thread.sleep(150);
                client.deleteApp(r -> r.applicationId(appId));
                for (Future<?> creator : creators) {
                    creator.get(30, TimeUnit.SECONDS);
                }
                try (Connection db = DriverManager.getConnection(waymark.jdbcUrl());
                     ResultSet left = db.createStatement().executeQuery(
                             "SELECT COUNT(*) FROM journeys WHERE app_id = '" + appId + "'")) {
                    left.next();
                    assertThat(left.getInt(1)).as("journeys left in the deleted app").isZero();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(failures).hasSize(5 * THREADS).allSatisfy(failure ->
                assertThat(failure).isInstanceOf(NotFoundException.class).hasMessageContaining(" not found"));
    }

    @Test
    void updatesRacingDeleteJourneyAnswerNotFound() throws Exception {
        String appId = createApp("updates");
        List<Throwable> failures = racingADelete(appId, 8, journeyId -> {
            int[] n = {0};
            while (true) {
                client.updateJourney(r -> r.applicationId(appId).journeyId(journeyId)
                        .writeJourneyRequest(SampleJourneys.simple("renamed" + n[0]++)));
            }
        });
        assertThat(failures).hasSize(8).allSatisfy(failure -> assertThat(failure)
                .isInstanceOf(NotFoundException.class));
    }

    @Test
    void taggingRacingDeleteJourneyLeavesNoTags() throws Exception {
        String appId = createApp("tags");
        List<String> journeys = new CopyOnWriteArrayList<>();
        List<Throwable> failures = racingADelete(appId, 8, journeyId -> {
            journeys.add(journeyId);
            int[] n = {0};
            while (true) {
                client.tagResource(r -> r.resourceArn(arn(appId, journeyId))
                        .tagsModel(m -> m.tags(Map.of("k" + (n[0]++ % 10), "v"))));
            }
        });
        assertThat(failures).hasSize(8).allSatisfy(failure -> assertThat(failure)
                .isInstanceOf(NotFoundException.class));
        for (String journeyId : journeys) {
            assertThat(waymark.server().store().tags().get(journeyId)).as("tags of deleted " + journeyId).isEmpty();
        }
    }

    @Test
    void twoTagCallsAtOnceNeverPassFiftyTags() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                String appId = createApp("fifty" + round);
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<Boolean>> calls = new ArrayList<>();
                for (String prefix : List.of("a", "b")) {
                    Map<String, String> tags = new HashMap<>();
                    for (int i = 0; i < 30; i++) {
                        tags.put(prefix + i, "v");
                    }
                    calls.add(pool.submit(() -> {
                        together.await();
                        try {
                            client.tagResource(r -> r.resourceArn(arn(appId, null)).tagsModel(m -> m.tags(tags)));
                            return true;
                        } catch (BadRequestException tooMany) {
                            return false;
                        }
                    }));
                }
                assertThat(List.of(calls.get(0).get(), calls.get(1).get())).containsExactlyInAnyOrder(true, false);
                assertThat(waymark.server().store().tags().get(appId)).hasSize(30);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aWalkOverAppsSeesAppsCreatedInTheCursorsMillisecond() throws Exception {
        // Every app of this server is created in the same millisecond, so only their ids could order them.
        waymark.close();
        ServerConfig config = TestDatabases.configure(ServerConfig.defaults(dataDir.resolve("fixed"), 0), store);
        waymark = WaymarkTestServer.start(config, new MutableClock(Instant.parse("2026-06-01T00:00:00Z")),
                (dataSource, runs) -> runs.buildScheduler(dataSource, config.scheduler(),
                        Dialect.of(config.jdbcUrl()).skipLockedPolling()));
        client = waymark.client();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            created.add(createApp("before" + i));
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        do {
            String current = token;
            ApplicationsResponse page = client.getApps(r -> r.pageSize("1").token(current)).applicationsResponse();
            page.item().stream().map(ApplicationResponse::id).forEach(seen::add);
            token = page.nextToken();
            if (seen.size() == 1) {
                for (int i = 0; i < 12; i++) {
                    created.add(createApp("meanwhile" + i));
                }
            }
        } while (token != null);
        assertThat(seen).containsExactlyElementsOf(created);
    }

    /** What each of {@code count} journeys' worker threw when its journey was deleted under it. */
    private List<Throwable> racingADelete(String appId, int count, ThrowingConsumer worker) throws Exception {
        List<String> journeyIds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            journeyIds.add(client.createJourney(r -> r.applicationId(appId)
                    .writeJourneyRequest(SampleJourneys.simple("j" + n))).journeyResponse().id());
        }
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (String journeyId : journeyIds) {
                workers.add(pool.submit(() -> {
                    try {
                        worker.accept(journeyId);
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            Thread.sleep(300);
            for (String journeyId : journeyIds) {
                client.deleteJourney(r -> r.applicationId(appId).journeyId(journeyId));
            }
            for (Future<?> each : workers) {
                each.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return failures;
    }

    private static String arn(String appId, String journeyId) {
        return "arn:aws:mobiletargeting:us-east-1:000000000000:apps/" + appId
                + (journeyId == null ? "" : "/journeys/" + journeyId);
    }

    /** A worker on one journey, which runs until it throws. */
    private interface ThrowingConsumer {
        void accept(String journeyId) throws Exception;
    }
}
