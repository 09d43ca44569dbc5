package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.server.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
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
import software.amazon.awssdk.services.pinpoint.model.State;

/** Runs produced in real time by the real scheduler, seen through GetJourneyRuns with the real SDK. */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"sqlite", "postgresql"})
class ScheduledRunsEndToEndTest {
    @Parameter
    String store;

    @TempDir
    Path dataDir;
    WaymarkTestServer waymark;
    PinpointClient client;
    String appId;

    @BeforeEach
    void start() throws Exception {
        // Refreshing every second lets a test see many runs; the shipped minimum is PT1M.
        waymark = WaymarkTestServer.start(TestDatabases.configure(ServerConfig.defaults(dataDir, 0)
                .withMinRefreshFrequency(Duration.ofSeconds(1)), store));
        client = waymark.client();
        appId = client.createApp(r -> r.createApplicationRequest(a -> a.name("scheduled"))).applicationResponse().id();
        waymark.defineSampleSegments(appId);
    }

    @AfterEach
    void stop() {
        waymark.close();
    }

    @Test
    void runOneStartsOnTimeAndRunTwoIsScheduled() throws Exception {
        Instant start = Instant.now().plusSeconds(1);
        String journeyId = client.createJourney(r -> r.applicationId(appId).writeJourneyRequest(SampleJourneys
                .simple("one-second").toBuilder().state("ACTIVE").refreshFrequency("PT1M")
                .schedule(JourneySchedule.builder().startTime(start).build()).build())).journeyResponse().id();

        List<JourneyRunResponse> runs = waitFor(journeyId, found -> found.size() == 2, Duration.ofSeconds(10));
        assertThat(runs.get(0).statusAsString()).isIn("RUNNING", "COMPLETED");
        assertThat(runs.get(1).statusAsString()).isEqualTo("SCHEDULED");
        assertThat(Instant.parse(runs.get(0).lastUpdateTime())).isAfterOrEqualTo(start);
        waitFor(journeyId, found -> found.get(0).statusAsString().equals("COMPLETED"), Duration.ofSeconds(5));
    }

    @Test
    void pauseResumeAndCancel() throws Exception {
        String journeyId = client.createJourney(r -> r.applicationId(appId).writeJourneyRequest(SampleJourneys
                .simple("pausing").toBuilder().state("ACTIVE").refreshFrequency("PT1S").build())).journeyResponse().id();
        waitFor(journeyId, found -> found.size() >= 2, Duration.ofSeconds(10));

        setState(journeyId, State.PAUSED);
        // A run whose entry was under way when the journey paused stays RUNNING, its entry paused with it; no run
        // starts while paused.
        Thread.sleep(1000);
        int whilePaused = runs(journeyId).size();
        Thread.sleep(2500);
        List<JourneyRunResponse> paused = runs(journeyId);
        assertThat(paused).hasSize(whilePaused);
        assertThat(paused.get(paused.size() - 1).statusAsString()).isEqualTo("SCHEDULED");

        setState(journeyId, State.ACTIVE);
        List<JourneyRunResponse> resumed = waitFor(journeyId, found -> found.size() == whilePaused + 1, Duration.ofSeconds(5));
        assertThat(resumed.get(whilePaused - 1).statusAsString()).isIn("RUNNING", "COMPLETED");

        setState(journeyId, State.CANCELLED);
        List<JourneyRunResponse> cancelled = runs(journeyId);
        assertThat(cancelled.get(cancelled.size() - 1).statusAsString()).isEqualTo("CANCELLED");
        assertThat(cancelled).extracting(JourneyRunResponse::statusAsString).doesNotContain("SCHEDULED", "RUNNING");
        Thread.sleep(2000);
        assertThat(runs(journeyId)).isEqualTo(cancelled);
    }

    @Test
    void pagingOverMoreThanOnePageOfRuns() throws Exception {
        String journeyId = client.createJourney(r -> r.applicationId(appId).writeJourneyRequest(SampleJourneys
                .simple("many-runs").toBuilder().state("ACTIVE").refreshFrequency("PT1S").build())).journeyResponse().id();
        waitFor(journeyId, found -> found.size() >= 5, Duration.ofSeconds(15));

        List<JourneyRunsResponse> pages = RunPages.walk(client, appId, journeyId, "2");
        List<JourneyRunResponse> walked = pages.stream().flatMap(page -> page.item().stream()).toList();

        assertThat(pages).hasSizeGreaterThanOrEqualTo(3);
        assertThat(walked).extracting(JourneyRunResponse::runId).doesNotHaveDuplicates();
        assertThat(walked.size()).isGreaterThanOrEqualTo(5);
        for (int i = 1; i < walked.size(); i++) {
            assertThat(walked.get(i).creationTime()).isGreaterThan(walked.get(i - 1).creationTime());
        }
        assertThat(walked.stream().filter(run -> run.statusAsString().equals("SCHEDULED")).count()).isLessThanOrEqualTo(1);
    }

    private List<JourneyRunResponse> runs(String journeyId) {
        return client.getJourneyRuns(r -> r.applicationId(appId).journeyId(journeyId).pageSize("1000"))
                .journeyRunsResponse().item();
    }

    private List<JourneyRunResponse> waitFor(String journeyId, Predicate<List<JourneyRunResponse>> condition,
                                             Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<JourneyRunResponse> runs = runs(journeyId);
        while (!(condition.test(runs)) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            runs = runs(journeyId);
        }
        assertThat(condition.test(runs)).as("runs within %s: %s", timeout, runs).isTrue();
        return runs;
    }

    private void setState(String journeyId, State state) {
        client.updateJourneyState(r -> r.applicationId(appId).journeyId(journeyId).journeyStateRequest(s -> s.state(state)));
    }
}
