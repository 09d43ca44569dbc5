package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.kagkarlsson.scheduler.testhelper.ManualScheduler;
import com.github.kagkarlsson.scheduler.testhelper.SettableClock;
import com.github.kagkarlsson.scheduler.testhelper.TestHelper;
import dev.waymark.MutableClock;
import dev.waymark.engine.EngineSettings;
import dev.waymark.server.ServerConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.pinpoint.PinpointClient;
import software.amazon.awssdk.services.pinpoint.model.JourneyRunResponse;
import software.amazon.awssdk.services.pinpoint.model.JourneyRunsResponse;
import software.amazon.awssdk.services.pinpoint.model.JourneySchedule;
import software.amazon.awssdk.services.pinpoint.model.NotFoundException;
import software.amazon.awssdk.services.pinpoint.model.State;
import software.amazon.awssdk.services.pinpoint.model.WriteJourneyRequest;

/**
 * The run lifecycle through the real SDK, store and db-scheduler, with time in the test's hands: db-scheduler's
 * ManualScheduler and SettableClock drive both the scheduler and Waymark's clock, so every step is deterministic.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"sqlite", "postgresql"})
class RunLifecycleEndToEndTest {
    @Parameter
    String store;

    private static final Duration STEP = Duration.ofMinutes(1);

    @TempDir
    Path dataDir;
    SettableClock time;
    Instant t0;
    ManualScheduler scheduler;
    WaymarkTestServer waymark;
    PinpointClient client;
    String appId;

    @BeforeEach
    void start() throws Exception {
        time = new SettableClock();
        t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        time.set(t0);
        AtomicReference<ManualScheduler> built = new AtomicReference<>();
        // The engine has no threads of its own here: runDue() drives it on the test's clock, so every step is
        // deterministic (a run completes once the engine has entered its endpoints).
        waymark = WaymarkTestServer.start(TestDatabases.configure(ServerConfig.defaults(dataDir, 0), store)
                        .withEngine(EngineSettings.manual()),
                MutableClock.reading(time::now),
                (dataSource, runs) -> {
                    built.set(TestHelper.createManualScheduler(dataSource, runs.journeyTask())
                            .clock(time)
                            .startTasks(List.of(runs.sweepTask()))
                            .build());
                    return built.get();
                });
        scheduler = built.get();
        client = waymark.client();
        appId = client.createApp(r -> r.createApplicationRequest(a -> a.name("lifecycle"))).applicationResponse().id();
        waymark.defineSampleSegments(appId);
    }

    @AfterEach
    void stop() {
        waymark.close();
    }

    @Test
    void aRefreshingJourneyRunsOnScheduleAndClosesAtItsEndTime() throws Exception {
        Instant start = t0.plusSeconds(60);
        String journeyId = activate(SampleJourneys.simple("refreshing").toBuilder().refreshFrequency("PT1H")
                .schedule(JourneySchedule.builder().startTime(start).endTime(start.plus(Duration.ofMinutes(150))).build())
                .build());
        List<JourneyRunResponse> runs = runs(journeyId);
        assertThat(runs).extracting(JourneyRunResponse::statusAsString).containsExactly("SCHEDULED");
        assertThat(runs.get(0).creationTime()).isEqualTo(wire(t0)).isEqualTo(runs.get(0).lastUpdateTime());
        assertThat(hasExecution(journeyId)).isTrue();

        time.set(start);
        runDue();
        runs = runs(journeyId);
        assertThat(runs).extracting(JourneyRunResponse::statusAsString).containsExactly("RUNNING", "SCHEDULED");
        assertThat(runs.get(0).lastUpdateTime()).isEqualTo(wire(start));
        assertThat(runs.get(1).creationTime()).isEqualTo(wire(start));

        time.set(start.plusMillis(250));
        runDue();
        assertThat(runs(journeyId)).extracting(JourneyRunResponse::statusAsString).containsExactly("COMPLETED", "SCHEDULED");
        assertThat(runs(journeyId).get(0).lastUpdateTime()).isEqualTo(wire(start.plusMillis(250)));

        advance(Duration.ofHours(3));
        assertThat(runs(journeyId)).extracting(JourneyRunResponse::statusAsString)
                .containsExactly("COMPLETED", "COMPLETED", "COMPLETED");
        assertThat(state(journeyId)).isEqualTo(State.COMPLETED);
        assertThat(hasExecution(journeyId)).isFalse();
    }

    @Test
    void pauseHoldsTheScheduledRunAndResumeStartsOneOverdueRun() throws Exception {
        String journeyId = activate(SampleJourneys.simple("paused").toBuilder().refreshFrequency("PT1H").build());
        advance(Duration.ofSeconds(1));
        assertThat(runs(journeyId)).extracting(JourneyRunResponse::statusAsString).containsExactly("COMPLETED", "SCHEDULED");

        setState(journeyId, State.PAUSED);
        assertThat(hasExecution(journeyId)).isFalse();
        advance(Duration.ofHours(5));
        assertThat(runs(journeyId)).extracting(JourneyRunResponse::statusAsString).containsExactly("COMPLETED", "SCHEDULED");

        Instant resumedAt = time.now();
        setState(journeyId, State.ACTIVE);
        List<JourneyRunResponse> runs = runs(journeyId);
        assertThat(runs).extracting(JourneyRunResponse::statusAsString).containsExactly("COMPLETED", "RUNNING", "SCHEDULED");
        assertThat(runs.get(1).lastUpdateTime()).isEqualTo(wire(resumedAt));
        advance(Duration.ofMinutes(30));
        assertThat(runs(journeyId)).extracting(JourneyRunResponse::statusAsString).containsExactly("COMPLETED", "COMPLETED", "SCHEDULED");
    }

    @Test
    void cancelTurnsOpenRunsCancelledAndLeavesNoTask() throws Exception {
        String journeyId = activate(SampleJourneys.simple("cancelled").toBuilder().refreshFrequency("PT1H").build());
        runDue();
        assertThat(runs(journeyId)).extracting(JourneyRunResponse::statusAsString).containsExactly("RUNNING", "SCHEDULED");

        time.set(t0.plusSeconds(2));
        setState(journeyId, State.CANCELLED);
        List<JourneyRunResponse> runs = runs(journeyId);
        assertThat(runs).extracting(JourneyRunResponse::statusAsString).containsExactly("CANCELLED", "CANCELLED");
        assertThat(runs).extracting(JourneyRunResponse::lastUpdateTime).containsOnly(wire(t0.plusSeconds(2)));
        assertThat(hasExecution(journeyId)).isFalse();
        advance(Duration.ofDays(1));
        assertThat(runs(journeyId)).hasSize(2);
    }

    @Test
    void updatingTheScheduleOfAnActiveJourneyReplansItsScheduledRun() throws Exception {
        WriteJourneyRequest definition = SampleJourneys.simple("replanned").toBuilder().refreshFrequency("PT1H")
                .schedule(JourneySchedule.builder().startTime(t0.plusSeconds(600)).build()).build();
        String journeyId = activate(definition);
        client.updateJourney(r -> r.applicationId(appId).journeyId(journeyId).writeJourneyRequest(definition.toBuilder()
                .state("ACTIVE").schedule(JourneySchedule.builder().startTime(t0.plusSeconds(1200)).build()).build()));
        advance(Duration.ofSeconds(900));
        assertThat(runs(journeyId)).extracting(JourneyRunResponse::statusAsString).containsExactly("SCHEDULED");
        advance(Duration.ofSeconds(301));
        assertThat(runs(journeyId)).extracting(JourneyRunResponse::statusAsString).containsExactly("COMPLETED", "SCHEDULED");
        assertThat(runs(journeyId).get(0).lastUpdateTime()).startsWith(wire(t0.plusSeconds(1200)).substring(0, 16));

        client.updateJourney(r -> r.applicationId(appId).journeyId(journeyId).writeJourneyRequest(definition.toBuilder()
                .refreshFrequency(null).schedule(JourneySchedule.builder().startTime(t0.plusSeconds(1200)).build()).build()));
        advance(Duration.ofSeconds(1));
        assertThat(runs(journeyId)).extracting(JourneyRunResponse::statusAsString).containsExactly("COMPLETED");
        assertThat(state(journeyId)).isEqualTo(State.COMPLETED);
    }

    @Test
    void anEventStartedJourneyHasOneRunningRunUntilItsEnd() throws Exception {
        String journeyId = activate(SampleJourneys.simple("event").toBuilder()
                .startCondition(s -> s.eventStartCondition(e -> e.segmentId("s").eventFilter(f -> f.filterType("ENDPOINT")
                        .dimensions(d -> d.eventType(t -> t.dimensionType("INCLUSIVE").values("signup"))))))
                .schedule(JourneySchedule.builder().endTime(t0.plus(Duration.ofDays(2))).build()).build());
        advance(Duration.ofDays(1));
        assertThat(runs(journeyId)).extracting(JourneyRunResponse::statusAsString).containsExactly("RUNNING");
        advance(Duration.ofDays(2));
        assertThat(runs(journeyId)).extracting(JourneyRunResponse::statusAsString).containsExactly("COMPLETED");
        assertThat(state(journeyId)).isEqualTo(State.COMPLETED);
    }

    /**
     * Pages are read again and again while the journey goes on, so a page the server kept from an earlier read
     * (RunPageCache) would show here: a page that still has an open run, or no page after it, must come out changed.
     */
    @Test
    void pagesReadAgainShowEveryChangeAndADeletedJourneyIsGone() throws Exception {
        Instant start = t0.plusSeconds(60);
        String journeyId = activate(SampleJourneys.simple("paged").toBuilder().refreshFrequency("PT1H")
                .schedule(JourneySchedule.builder().startTime(start).build()).build());
        time.set(start);
        runDue();
        advance(Duration.ofHours(2).minusMinutes(1));
        // Runs 1 and 2 completed, run 3 SCHEDULED: pages of two are [C C] [S].
        assertThat(statusPages(journeyId)).containsExactly(List.of("COMPLETED", "COMPLETED"), List.of("SCHEDULED"));

        time.set(start.plus(Duration.ofHours(2)));
        runDue();
        // Run 3 started and created run 4: [C C] [R S], a full page with an open run.
        assertThat(statusPages(journeyId)).containsExactly(List.of("COMPLETED", "COMPLETED"),
                List.of("RUNNING", "SCHEDULED"));
        time.set(start.plus(Duration.ofHours(2)).plusMillis(250));
        runDue();
        assertThat(statusPages(journeyId)).containsExactly(List.of("COMPLETED", "COMPLETED"),
                List.of("COMPLETED", "SCHEDULED"));

        time.set(start.plus(Duration.ofHours(3)));
        runDue();
        // A full page with a page after it, and an open run on it: [C C] [C R] [S].
        assertThat(statusPages(journeyId)).containsExactly(List.of("COMPLETED", "COMPLETED"),
                List.of("COMPLETED", "RUNNING"), List.of("SCHEDULED"));
        time.set(start.plus(Duration.ofHours(3)).plusMillis(250));
        runDue();
        assertThat(statusPages(journeyId)).containsExactly(List.of("COMPLETED", "COMPLETED"),
                List.of("COMPLETED", "COMPLETED"), List.of("SCHEDULED"));

        advance(Duration.ofHours(1));
        List<List<JourneyRunResponse>> pages = pages(journeyId);
        assertThat(pages).extracting(page -> page.stream().map(JourneyRunResponse::statusAsString).toList())
                .containsExactly(List.of("COMPLETED", "COMPLETED"), List.of("COMPLETED", "COMPLETED"),
                        List.of("COMPLETED", "SCHEDULED"));
        assertThat(pages.stream().flatMap(List::stream).map(JourneyRunResponse::runId).distinct()).hasSize(6);
        assertThat(pages(journeyId)).isEqualTo(pages);

        String secondPage = client.getJourneyRuns(r -> r.applicationId(appId).journeyId(journeyId).pageSize("2"))
                .journeyRunsResponse().nextToken();
        client.deleteJourney(r -> r.applicationId(appId).journeyId(journeyId));
        assertThatThrownBy(() -> client.getJourneyRuns(r -> r.applicationId(appId).journeyId(journeyId)
                .pageSize("2").token(secondPage))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void deletingLeavesNoTaskBehind() throws Exception {
        String journeyId = activate(SampleJourneys.simple("deleted").toBuilder().refreshFrequency("PT1H").build());
        String other = activate(SampleJourneys.simple("other").toBuilder().refreshFrequency("PT1H").build());
        assertThat(hasExecution(journeyId)).isTrue();
        client.deleteJourney(r -> r.applicationId(appId).journeyId(journeyId));
        assertThat(hasExecution(journeyId)).isFalse();
        client.deleteApp(r -> r.applicationId(appId));
        assertThat(hasExecution(other)).isFalse();
        assertThat(countRows("SELECT COUNT(*) FROM journey_runs")).isZero();
    }

    private String activate(WriteJourneyRequest definition) {
        return client.createJourney(r -> r.applicationId(appId).writeJourneyRequest(definition.toBuilder()
                .state("ACTIVE").build())).journeyResponse().id();
    }

    /** Moves time forward in small steps, running whatever falls due on the way, as a polling scheduler would. */
    /** The engine's due work, then the scheduler's due executions, at the clock's time. */
    private void runDue() {
        waymark.server().engine().settle();
        scheduler.runAnyDueExecutions();
    }

    private void advance(Duration duration) {
        Instant until = time.now().plus(duration);
        while (time.now().isBefore(until)) {
            Duration remaining = Duration.between(time.now(), until);
            Duration step = remaining.compareTo(STEP) < 0 ? remaining : STEP;
            time.tick(step);
            runDue();
            runDue();
        }
    }

    private List<JourneyRunResponse> runs(String journeyId) {
        return client.getJourneyRuns(r -> r.applicationId(appId).journeyId(journeyId)).journeyRunsResponse().item();
    }

    /** Every page of two runs, each read twice to show that a second read of a page answers the same. */
    private List<List<JourneyRunResponse>> pages(String journeyId) {
        List<JourneyRunsResponse> pages = RunPages.walk(client, appId, journeyId, "2");
        assertThat(RunPages.walk(client, appId, journeyId, "2")).isEqualTo(pages);
        return pages.stream().map(JourneyRunsResponse::item).toList();
    }

    private List<List<String>> statusPages(String journeyId) {
        return pages(journeyId).stream()
                .map(page -> page.stream().map(JourneyRunResponse::statusAsString).toList()).toList();
    }

    private State state(String journeyId) {
        return client.getJourney(r -> r.applicationId(appId).journeyId(journeyId)).journeyResponse().state();
    }

    private void setState(String journeyId, State state) {
        client.updateJourneyState(r -> r.applicationId(appId).journeyId(journeyId).journeyStateRequest(s -> s.state(state)));
    }

    private boolean hasExecution(String journeyId) throws Exception {
        try (Connection db = DriverManager.getConnection(waymark.jdbcUrl());
             PreparedStatement query = db.prepareStatement(
                     "SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'journey-runs' AND task_instance = ?")) {
            query.setString(1, journeyId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1) == 1;
            }
        }
    }

    private int countRows(String sql) throws Exception {
        try (Connection db = DriverManager.getConnection(waymark.jdbcUrl());
             ResultSet rows = db.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static String wire(Instant instant) {
        return dev.waymark.wire.WireTime.ISO.format(instant);
    }
}
