package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.kagkarlsson.scheduler.testhelper.ManualScheduler;
import com.github.kagkarlsson.scheduler.testhelper.SettableClock;
import com.github.kagkarlsson.scheduler.testhelper.TestHelper;
import dev.waymark.MutableClock;
import dev.waymark.engine.EngineSettings;
import dev.waymark.engine.JourneyEngine;
import dev.waymark.server.ServerConfig;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.pinpoint.PinpointClient;
import software.amazon.awssdk.services.pinpoint.model.Activity;
import software.amazon.awssdk.services.pinpoint.model.ChannelType;
import software.amazon.awssdk.services.pinpoint.model.CustomMessageActivity;
import software.amazon.awssdk.services.pinpoint.model.Event;
import software.amazon.awssdk.services.pinpoint.model.EventDimensions;
import software.amazon.awssdk.services.pinpoint.model.EventFilter;
import software.amazon.awssdk.services.pinpoint.model.EventStartCondition;
import software.amazon.awssdk.services.pinpoint.model.EventsBatch;
import software.amazon.awssdk.services.pinpoint.model.JourneySchedule;
import software.amazon.awssdk.services.pinpoint.model.PublicEndpoint;
import software.amazon.awssdk.services.pinpoint.model.SetDimension;
import software.amazon.awssdk.services.pinpoint.model.SegmentCondition;
import software.amazon.awssdk.services.pinpoint.model.StartCondition;
import software.amazon.awssdk.services.pinpoint.model.State;
import software.amazon.awssdk.services.pinpoint.model.WaitActivity;
import software.amazon.awssdk.services.pinpoint.model.WaitTime;
import software.amazon.awssdk.services.pinpoint.model.WriteJourneyRequest;

/**
 * A hostile review of the journey engine (issue 18): races between the workers and the state sync, and other
 * interleavings the engine's own tests do not force. The engine has no threads here; the test drives it (settle, or
 * one batch of moves alone, as a worker would do between two passes of the state sync) on its own clock.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"sqlite", "postgresql"})
class EngineReviewEndToEndTest {
    @Parameter
    String store;

    @TempDir
    Path dataDir;
    SettableClock time;
    ManualScheduler scheduler;
    WaymarkTestServer waymark;
    PinpointClient client;
    String appId;

    @BeforeEach
    void start() throws Exception {
        time = new SettableClock();
        time.set(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        AtomicReference<ManualScheduler> built = new AtomicReference<>();
        waymark = WaymarkTestServer.start(TestDatabases.configure(ServerConfig.defaults(dataDir, 0), store)
                        .withEngine(EngineSettings.manual()),
                MutableClock.reading(time::now),
                (dataSource, runs) -> {
                    built.set(TestHelper.createManualScheduler(dataSource, runs.journeyTask()).clock(time)
                            .startTasks(List.of(runs.sweepTask())).build());
                    return built.get();
                });
        scheduler = built.get();
        client = waymark.client();
        appId = client.createApp(r -> r.createApplicationRequest(a -> a.name("review"))).applicationResponse().id();
    }

    @AfterEach
    void stop() {
        waymark.close();
    }

    /**
     * A worker that meets a PAUSED journey before the state sync has applied the pause must not freeze its
     * participants itself: when the journey is resumed before the sync runs, the sync sees ACTIVE as it last applied
     * it, thaws nobody, and the frozen participants would stay in the journey for ever.
     */
    @Test
    void aPauseResumedBeforeTheStateSyncLeavesNoParticipantFrozen() throws Exception {
        String journey = publishedWaitJourney(3);
        time.tick(Duration.ofHours(2));

        setState(journey, State.PAUSED);
        stepBatch();
        setState(journey, State.ACTIVE);
        runDue();

        assertThat(count("SELECT COUNT(*) FROM participants WHERE journey_id = '" + journey
                + "' AND finished_ms IS NULL")).as("participants still in the journey").isZero();
        assertThat(journeyMetrics(journey)).containsEntry("ENDPOINT_LEFT", "3").containsEntry("ENDPOINT_ACTIVE", "0");
    }

    /**
     * DeleteEndpoint while a worker's batch holds the endpoint's participant and moves it out of the journey
     * (PostgreSQL, where both run at once): the deletion must read the participant as the worker leaves it, not as it
     * was before, or the participant leaves twice (ENDPOINT_LEFT 2, ENDPOINT_ACTIVE -1).
     */
    @Test
    void deleteEndpointRacingAWorkerThatMovesTheParticipantOutCountsItsLeavingOnce() throws Exception {
        assumeTrue(store.equals("postgresql"), "SQLite has one writer: the two cannot interleave");
        String journey = publishedWaitJourney(1);
        try (Connection worker = DriverManager.getConnection(waymark.jdbcUrl())) {
            worker.setAutoCommit(false);
            // As a worker's batch does: claim the row, move it out, count its leaving; not committed yet.
            worker.createStatement().executeQuery("SELECT * FROM participants WHERE journey_id = '" + journey
                    + "' FOR UPDATE").close();
            worker.createStatement().executeUpdate("UPDATE participants SET phase = 'FINISHED', due_ms = NULL, "
                    + "finished_ms = 1 WHERE journey_id = '" + journey + "'");
            worker.createStatement().executeUpdate("UPDATE journey_counters SET value = value + CASE counter_key "
                    + "WHEN 'ENDPOINT_ACTIVE' THEN -1 ELSE 1 END WHERE journey_id = '" + journey + "' AND "
                    + "activity_id = '' AND counter_key IN ('ENDPOINT_ACTIVE', 'ENDPOINT_LEFT')");
            worker.createStatement().executeUpdate("INSERT INTO journey_counters (app_id, journey_id, run_id, "
                    + "activity_id, counter_key, value, changed_ms) SELECT app_id, journey_id, run_id, '', "
                    + "'ENDPOINT_LEFT', 1, 1 FROM participants WHERE journey_id = '" + journey + "'");
            CompletableFuture<Void> deletion = CompletableFuture.runAsync(() -> client.deleteEndpoint(r -> r
                    .applicationId(appId).endpointId("ep-0")));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (count("SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'") == 0
                    && !deletion.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            worker.commit();
            deletion.get(10, TimeUnit.SECONDS);
        }
        assertThat(journeyMetrics(journey)).containsEntry("ENDPOINT_LEFT", "1").containsEntry("ENDPOINT_ACTIVE", "0");
    }

    /**
     * A message of a PAUSED journey whose attempt was under way at the pause and failed for now is RETRYING: the
     * engine holds it again, whichever journey it belongs to, also when more journeys than one look takes are PAUSED
     * (multi-tenant: PAUSED journeys of every app count), else it is sent while its journey is PAUSED.
     */
    @Test
    void aRetryOfAnyPausedJourneyIsHeldAgainEvenWithManyPausedJourneys() throws Exception {
        String segment = EndToEndTest.everyone(client, appId);
        WriteJourneyRequest later = WriteJourneyRequest.builder().name("paused").startActivity("wait").refreshFrequency("P1D")
                .startCondition(StartCondition.builder().segmentStartCondition(SegmentCondition.builder()
                        .segmentId(segment).build()).build())
                .schedule(JourneySchedule.builder().startTime(time.now().plus(Duration.ofDays(1))).build())
                .activities(Map.of("wait", Activity.builder().waitValue(WaitActivity.builder()
                        .waitTime(WaitTime.builder().waitFor("PT1H").build()).build()).build()))
                .build();
        String last = null;
        for (int i = 0; i <= 100; i++) {
            last = client.createJourney(r -> r.applicationId(appId).writeJourneyRequest(later.toBuilder()
                    .state("ACTIVE").build())).journeyResponse().id();
            setState(last, State.PAUSED);
        }
        for (int i = 0; i < 3; i++) {
            runDue();
        }
        long now = time.now().toEpochMilli();
        try (Connection db = DriverManager.getConnection(waymark.jdbcUrl())) {
            // As the outbox leaves a message whose attempt, under way at the pause, failed for now.
            db.createStatement().executeUpdate("INSERT INTO outbox (id, app_id, idempotency_key, channel, destination, "
                    + "content, journey_id, state, attempts, next_attempt_ms, created_ms, status_code, "
                    + "status_message, updated_ms) VALUES ('m1', '" + appId + "', 'k1', 'EMAIL', 'a@example.com', "
                    + "'{}', '" + last + "', 'RETRYING', 1, " + (now + 60_000) + ", " + now + ", 451, 'try later', "
                    + now + ")");
        }
        runDue();

        assertThat(count("SELECT COUNT(*) FROM outbox WHERE id = 'm1' AND state = 'HELD'")).as("held").isOne();
    }

    /**
     * Pruning finished participants with many journeys still admitting (all apps together): the journeys whose
     * ledger must stay were bound one parameter each into one statement, past the 32,767 parameters a statement
     * takes, so pruning failed every minute and the participants table grew for ever.
     */
    @Test
    void finishedParticipantsArePrunedWithMoreAdmittingJourneysThanOneStatementTakes() throws Exception {
        String journey = publishedWaitJourney(1);
        time.tick(Duration.ofHours(2));
        runDue();
        assertThat(count("SELECT COUNT(*) FROM participants WHERE finished_ms IS NOT NULL")).isOne();
        try (Connection db = DriverManager.getConnection(waymark.jdbcUrl())) {
            // Copies of the journey whose definition the engine cannot execute: their ledger is kept.
            List<String> columns = new java.util.ArrayList<>();
            try (ResultSet row = db.createStatement().executeQuery("SELECT * FROM journeys WHERE id = '" + journey
                    + "'")) {
                for (int i = 1; i <= row.getMetaData().getColumnCount(); i++) {
                    columns.add(row.getMetaData().getColumnName(i).toLowerCase(java.util.Locale.ROOT));
                }
            }
            String values = String.join(", ", columns.stream().map(column -> switch (column) {
                case "id" -> "'copy-' || n";
                case "name" -> "'copy-' || n";
                case "definition" -> "'{}'";
                default -> "j." + column;
            }).toList());
            db.createStatement().executeUpdate("INSERT INTO journeys (" + String.join(", ", columns) + ") WITH "
                    + "RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 70000) SELECT " + values
                    + " FROM c, journeys j WHERE j.id = '" + journey + "'");
        }
        time.tick(Duration.ofDays(31));
        Method housekeeping = JourneyEngine.class.getDeclaredMethod("housekeeping", Instant.class);
        housekeeping.setAccessible(true);
        housekeeping.invoke(waymark.server().engine(), time.now());

        assertThat(count("SELECT COUNT(*) FROM participants")).as("pruned").isZero();
    }

    /** The rows of a journey whose EndpointReentryCap reads them stay past the retention; the others' go. */
    @Test
    void pruningKeepsTheEntryLedgerOfAJourneyWithAReentryCap() throws Exception {
        String capped = publishedWaitJourney(1, b -> b.name("capped").limits(l -> l.endpointReentryCap(1)));
        time.tick(Duration.ofHours(2));
        runDue();
        time.tick(Duration.ofDays(31));
        Method housekeeping = JourneyEngine.class.getDeclaredMethod("housekeeping", Instant.class);
        housekeeping.setAccessible(true);
        housekeeping.invoke(waymark.server().engine(), time.now());

        assertThat(count("SELECT COUNT(*) FROM participants WHERE journey_id = '" + capped + "'")).isOne();
    }

    /**
     * Two transactions admitting one endpoint into an event-started journey at once (PostgreSQL: an outcome of the
     * outbox recording a SYSTEM event holds no lock on the endpoint's row): neither sees the other's new row, and
     * the second overwrote the first, the endpoint counted ENDPOINT_ENTERED twice with one row (ENDPOINT_ACTIVE never
     * back to 0). The second must be refused as already active.
     */
    @Test
    void twoAdmissionsOfOneEndpointAtOnceEnterItOnce() throws Exception {
        assumeTrue(store.equals("postgresql"), "SQLite has one writer: the two cannot interleave");
        client.updateEndpoint(r -> r.applicationId(appId).endpointId("buyer").endpointRequest(e -> e
                .channelType(ChannelType.EMAIL).address("buyer@example.com")));
        WriteJourneyRequest definition = WriteJourneyRequest.builder().name("buyers").startActivity("wait")
                .startCondition(StartCondition.builder().eventStartCondition(EventStartCondition.builder()
                        .eventFilter(EventFilter.builder().filterType("ENDPOINT").dimensions(EventDimensions.builder()
                                .eventType(SetDimension.builder().dimensionType("INCLUSIVE").values("purchase")
                                        .build()).build()).build()).build()).build())
                .activities(Map.of("wait", Activity.builder().waitValue(WaitActivity.builder()
                        .waitTime(WaitTime.builder().waitFor("PT1H").build()).build()).build()))
                .build();
        String journey = client.createJourney(r -> r.applicationId(appId).writeJourneyRequest(definition.toBuilder()
                .state("ACTIVE").build())).journeyResponse().id();
        for (int i = 0; i < 3; i++) {
            time.tick(Duration.ofSeconds(1));
            runDue();
        }
        try (Connection other = DriverManager.getConnection(waymark.jdbcUrl())) {
            other.setAutoCommit(false);
            long now = time.now().toEpochMilli();
            // The other admission: its row and its counts, not committed yet.
            other.createStatement().executeUpdate("INSERT INTO participants (app_id, journey_id, endpoint_key, "
                    + "endpoint_id, entries, run_id, activity_id, phase, due_ms, arrived_ms, entered_ms, messages) "
                    + "SELECT '" + appId + "', journey_id, 'buyer', 'buyer', 1, run_id, 'wait', 'WAITING', "
                    + (now + 3_600_000) + ", " + now + ", " + now + ", 0 FROM journey_runs WHERE journey_id = '"
                    + journey + "' AND status = 'RUNNING'");
            other.createStatement().executeUpdate("INSERT INTO journey_counters (app_id, journey_id, run_id, "
                    + "activity_id, counter_key, value, changed_ms) SELECT '" + appId + "', journey_id, run_id, '', "
                    + "k.key, 1, " + now + " FROM journey_runs, (VALUES ('ENDPOINT_PRODUCED'), ('ENDPOINT_ENTERED'), "
                    + "('ENDPOINT_ACTIVE')) AS k(key) WHERE journey_id = '" + journey + "' AND status = 'RUNNING'");
            CompletableFuture<Void> putEvents = CompletableFuture.runAsync(() -> client.putEvents(r -> r
                    .applicationId(appId).eventsRequest(e -> e.batchItem(Map.of("buyer", EventsBatch.builder()
                            .endpoint(PublicEndpoint.builder().channelType("EMAIL").address("buyer@example.com")
                                    .build())
                            .events(Map.of("e1", Event.builder().eventType("purchase")
                                    .timestamp(time.now().toString()).build())).build())))));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (count("SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'") == 0
                    && !putEvents.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            other.commit();
            putEvents.get(10, TimeUnit.SECONDS);
        }
        assertThat(journeyMetrics(journey)).containsEntry("ENDPOINT_PRODUCED", "2")
                .containsEntry("ENDPOINT_ENTERED", "1").containsEntry("ACTIVE_ENDPOINT_REJECTED", "1")
                .containsEntry("ENDPOINT_ACTIVE", "1");
    }

    /**
     * DeleteJourney of an event-started journey whose first admissions came before the engine first saw the journey:
     * the engine withdraws a deleted journey's messages only for journeys it has seen, so a message queued meanwhile
     * was sent after the DeleteJourney. And a message in a transport's hands at the DeleteJourney whose attempt fails
     * for now must not be retried.
     */
    @Test
    void aJourneyDeletedBeforeTheEngineFirstSawItHasItsMessagesWithdrawn() throws Exception {
        client.updateEndpoint(r -> r.applicationId(appId).endpointId("buyer").endpointRequest(e -> e
                .channelType(ChannelType.EMAIL).address("buyer@example.com")));
        WriteJourneyRequest definition = purchaseToCustom("quick");
        String journey = client.createJourney(r -> r.applicationId(appId).writeJourneyRequest(definition.toBuilder()
                .state("ACTIVE").build())).journeyResponse().id();
        // The planner starts the run; the engine's state sync has not run yet.
        for (int i = 0; i < 3; i++) {
            time.tick(Duration.ofSeconds(1));
            scheduler.runAnyDueExecutions();
        }
        putPurchase();
        stepBatch();
        assertThat(count("SELECT COUNT(*) FROM outbox WHERE journey_id = '" + journey + "'")).as("queued").isOne();

        // In a transport's hands at the DeleteJourney (taken from the real sender, whose outcome no longer matches).
        long later = time.now().plus(Duration.ofHours(1)).toEpochMilli();
        update("UPDATE outbox SET state = 'SENDING', lease_owner = 'review', lease_until_ms = " + later
                + ", next_attempt_ms = " + later + " WHERE journey_id = '" + journey + "'");

        client.deleteJourney(r -> r.applicationId(appId).journeyId(journey));
        runDue();
        // The attempt fails for now: a retry is due later.
        update("UPDATE outbox SET state = 'RETRYING', lease_owner = NULL, lease_until_ms = NULL, status_message = "
                + "'try later' WHERE journey_id = '" + journey + "'");
        runDue();

        assertThat(count("SELECT COUNT(*) FROM outbox WHERE journey_id = '" + journey + "' AND state IN "
                + "('QUEUED', 'RETRYING', 'HELD')")).as("still to be sent").isZero();
    }

    /** A message in a transport's hands at the cancel whose attempt fails for now is withdrawn, not retried. */
    @Test
    void aRetryOfAnAttemptUnderWayAtTheCancelIsWithdrawn() throws Exception {
        client.updateEndpoint(r -> r.applicationId(appId).endpointId("buyer").endpointRequest(e -> e
                .channelType(ChannelType.EMAIL).address("buyer@example.com")));
        WriteJourneyRequest definition = purchaseToCustom("cancelled");
        String journey = client.createJourney(r -> r.applicationId(appId).writeJourneyRequest(definition.toBuilder()
                .state("ACTIVE").build())).journeyResponse().id();
        for (int i = 0; i < 3; i++) {
            time.tick(Duration.ofSeconds(1));
            runDue();
        }
        putPurchase();
        runDue();
        long later = time.now().plus(Duration.ofHours(1)).toEpochMilli();
        update("UPDATE outbox SET state = 'SENDING', lease_owner = 'review', lease_until_ms = " + later
                + ", next_attempt_ms = " + later + " WHERE journey_id = '" + journey + "'");
        assertThat(count("SELECT COUNT(*) FROM outbox WHERE journey_id = '" + journey + "'")).as("queued").isOne();

        setState(journey, State.CANCELLED);
        runDue();
        update("UPDATE outbox SET state = 'RETRYING', lease_owner = NULL, lease_until_ms = NULL, status_message = "
                + "'try later' WHERE journey_id = '" + journey + "'");
        runDue();

        assertThat(count("SELECT COUNT(*) FROM outbox WHERE journey_id = '" + journey + "' AND state IN "
                + "('QUEUED', 'RETRYING', 'HELD')")).as("still to be sent").isZero();
    }

    /** Endpoints ep-0… with an address, a journey of one Wait of an hour over all of them, entered; its id. */
    private String publishedWaitJourney(int endpoints) {
        return publishedWaitJourney(endpoints, UnaryOperator.identity());
    }

    private String publishedWaitJourney(int endpoints, UnaryOperator<WriteJourneyRequest.Builder> adjust) {
        for (int i = 0; i < endpoints; i++) {
            String id = "ep-" + i;
            client.updateEndpoint(r -> r.applicationId(appId).endpointId(id).endpointRequest(e -> e
                    .channelType(ChannelType.EMAIL).address(id + "@example.com")));
        }
        String segment = EndToEndTest.everyone(client, appId);
        WriteJourneyRequest definition = WriteJourneyRequest.builder().name("review").startActivity("wait")
                // Refreshed daily, so that the journey stays ACTIVE (not CLOSED after its one run) while tested.
                .refreshFrequency("P1D")
                .startCondition(StartCondition.builder().segmentStartCondition(SegmentCondition.builder()
                        .segmentId(segment).build()).build())
                .activities(Map.of("wait", Activity.builder().waitValue(WaitActivity.builder()
                        .waitTime(WaitTime.builder().waitFor("PT1H").build()).build()).build()))
                .applyMutation(adjust::apply).build();
        String journey = client.createJourney(r -> r.applicationId(appId).writeJourneyRequest(definition.toBuilder()
                .state("ACTIVE").build())).journeyResponse().id();
        for (int i = 0; i < 5; i++) {
            time.tick(Duration.ofSeconds(1));
            runDue();
        }
        assertThat(journeyMetrics(journey)).as("entered").containsEntry("ENDPOINT_ACTIVE",
                Integer.toString(endpoints));
        return journey;
    }

    private void setState(String journey, State state) {
        client.updateJourneyState(r -> r.applicationId(appId).journeyId(journey).journeyStateRequest(s -> s
                .state(state)));
    }

    private Map<String, String> journeyMetrics(String journey) {
        return client.getJourneyExecutionMetrics(r -> r.applicationId(appId).journeyId(journey))
                .journeyExecutionMetricsResponse().metrics();
    }

    /** One batch of moves alone, as a worker thread makes it between two passes of the entry thread's state sync. */
    private void stepBatch() throws Exception {
        Method step = JourneyEngine.class.getDeclaredMethod("stepBatch");
        step.setAccessible(true);
        step.invoke(waymark.server().engine());
    }

    private void runDue() {
        waymark.server().engine().settle();
        scheduler.runAnyDueExecutions();
    }

    private void update(String sql) throws Exception {
        try (Connection db = DriverManager.getConnection(waymark.jdbcUrl())) {
            db.createStatement().executeUpdate(sql);
        }
    }

    private long count(String sql) throws Exception {
        try (Connection db = DriverManager.getConnection(waymark.jdbcUrl());
             ResultSet rows = db.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** An event-started journey (ENDPOINT event "purchase") whose one activity is a CUSTOM call for EMAIL endpoints. */
    private static WriteJourneyRequest purchaseToCustom(String name) {
        return WriteJourneyRequest.builder().name(name).startActivity("custom")
                .startCondition(StartCondition.builder().eventStartCondition(EventStartCondition.builder()
                        .eventFilter(EventFilter.builder().filterType("ENDPOINT").dimensions(EventDimensions.builder()
                                .eventType(SetDimension.builder().dimensionType("INCLUSIVE").values("purchase")
                                        .build()).build()).build()).build()).build())
                .activities(Map.of("custom", Activity.builder().custom(CustomMessageActivity.builder()
                        .deliveryUri("https://receiver.invalid/hook").endpointTypesWithStrings("EMAIL").build())
                        .build()))
                .build();
    }

    /** The endpoint "buyer" reports a "purchase" event now. */
    private void putPurchase() {
        client.putEvents(r -> r.applicationId(appId).eventsRequest(e -> e.batchItem(Map.of("buyer",
                EventsBatch.builder().endpoint(PublicEndpoint.builder().channelType("EMAIL")
                                .address("buyer@example.com").build())
                        .events(Map.of("e1", Event.builder().eventType("purchase").timestamp(time.now().toString())
                                .build())).build()))));
    }
}
