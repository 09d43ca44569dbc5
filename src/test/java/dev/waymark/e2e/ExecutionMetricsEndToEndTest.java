package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.waymark.analytics.CounterDelta;
import dev.waymark.analytics.MetricKeys;
import dev.waymark.store.sql.SqlStore;
import dev.waymark.store.sql.SqlTransfer;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.pinpoint.model.Activity;
import software.amazon.awssdk.services.pinpoint.model.JourneyExecutionActivityMetricsResponse;
import software.amazon.awssdk.services.pinpoint.model.JourneyExecutionMetricsResponse;
import software.amazon.awssdk.services.pinpoint.model.JourneyResponse;
import software.amazon.awssdk.services.pinpoint.model.JourneyRunExecutionActivityMetricsResponse;
import software.amazon.awssdk.services.pinpoint.model.JourneyRunExecutionMetricsResponse;
import software.amazon.awssdk.services.pinpoint.model.JourneyRunResponse;
import software.amazon.awssdk.services.pinpoint.model.NotFoundException;
import software.amazon.awssdk.services.pinpoint.model.RandomSplitActivity;
import software.amazon.awssdk.services.pinpoint.model.RandomSplitEntry;
import software.amazon.awssdk.services.pinpoint.model.WaitActivity;
import software.amazon.awssdk.services.pinpoint.model.WaitTime;

/**
 * The four execution-metrics operations through the Java SDK: the zero state of a real journey and run, NotFound
 * for what does not exist, and counters written through the engine's interface inside a transaction read back.
 */
class ExecutionMetricsEndToEndTest extends EndToEndTest {
    private String app;
    private JourneyResponse journey;
    private String runId;

    /** A published journey whose first run is a day away (so nothing moves), with its SCHEDULED run. */
    private void journeyWithRun() throws InterruptedException {
        app = createApp("metrics");
        journey = client.createJourney(r -> r.applicationId(app).writeJourneyRequest(SampleJourneys
                .startingTomorrow("watched").toBuilder().state("ACTIVE").startActivity("split")
                .activities(Map.of(
                        "split", Activity.builder().randomSplit(RandomSplitActivity.builder().branches(
                                RandomSplitEntry.builder().percentage(50).nextActivity("send").build(),
                                RandomSplitEntry.builder().percentage(50).nextActivity("pause").build()).build())
                                .build(),
                        "send", Activity.builder().email(e -> e.templateName("welcome")).build(),
                        "pause", Activity.builder().waitValue(WaitActivity.builder()
                                .waitTime(WaitTime.builder().waitFor("PT1H").build()).build()).build()))
                .build())).journeyResponse();
        runId = awaitRun();
    }

    private String awaitRun() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            List<JourneyRunResponse> runs = client.getJourneyRuns(r -> r.applicationId(app).journeyId(journey.id()))
                    .journeyRunsResponse().item();
            if (!runs.isEmpty()) {
                return runs.get(0).runId();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the journey has no run after 10 s");
    }

    private SqlStore sqlStore() {
        return (SqlStore) waymark.server().store();
    }

    private void count(List<CounterDelta> deltas, Instant at) {
        sqlStore().jdbi().useTransaction(handle -> sqlStore().journeyCounters().add(handle, app, journey.id(),
                deltas, at));
    }

    private JourneyExecutionMetricsResponse journeyMetrics() {
        return client.getJourneyExecutionMetrics(r -> r.applicationId(app).journeyId(journey.id()))
                .journeyExecutionMetricsResponse();
    }

    private JourneyExecutionActivityMetricsResponse activityMetrics(String activity) {
        return client.getJourneyExecutionActivityMetrics(r -> r.applicationId(app).journeyId(journey.id())
                .journeyActivityId(activity)).journeyExecutionActivityMetricsResponse();
    }

    private JourneyRunExecutionMetricsResponse runMetrics(String run) {
        return client.getJourneyRunExecutionMetrics(r -> r.applicationId(app).journeyId(journey.id()).runId(run))
                .journeyRunExecutionMetricsResponse();
    }

    private JourneyRunExecutionActivityMetricsResponse runActivityMetrics(String run, String activity) {
        return client.getJourneyRunExecutionActivityMetrics(r -> r.applicationId(app).journeyId(journey.id())
                .runId(run).journeyActivityId(activity)).journeyRunExecutionActivityMetricsResponse();
    }

    @Test
    void zeroStateAnswersEmptyMetricsWithTheIdsEchoed() throws Exception {
        journeyWithRun();
        JourneyExecutionMetricsResponse whole = client.getJourneyExecutionMetrics(r -> r.applicationId(app)
                .journeyId(journey.id()).pageSize("5").nextToken("ignored")).journeyExecutionMetricsResponse();
        assertThat(whole.applicationId()).isEqualTo(app);
        assertThat(whole.journeyId()).isEqualTo(journey.id());
        assertThat(whole.metrics()).isEmpty();
        assertThat(whole.lastEvaluatedTime()).isEqualTo(journey.creationDate());

        JourneyExecutionActivityMetricsResponse split = activityMetrics("split");
        assertThat(split.activityType()).isEqualTo("RANDOM_SPLIT");
        assertThat(split.journeyActivityId()).isEqualTo("split");
        assertThat(split.journeyId()).isEqualTo(journey.id());
        assertThat(split.applicationId()).isEqualTo(app);
        assertThat(split.metrics()).isEmpty();
        assertThat(activityMetrics("send").activityType()).isEqualTo("EMAIL");
        assertThat(activityMetrics("pause").activityType()).isEqualTo("WAIT");

        JourneyRunExecutionMetricsResponse run = runMetrics(runId);
        assertThat(run.runId()).isEqualTo(runId);
        assertThat(run.journeyId()).isEqualTo(journey.id());
        assertThat(run.applicationId()).isEqualTo(app);
        assertThat(run.metrics()).isEmpty();
        assertThat(run.lastEvaluatedTime()).isNotBlank();

        JourneyRunExecutionActivityMetricsResponse runActivity = runActivityMetrics(runId, "send");
        assertThat(runActivity.runId()).isEqualTo(runId);
        assertThat(runActivity.journeyActivityId()).isEqualTo("send");
        assertThat(runActivity.activityType()).isEqualTo("EMAIL");
        assertThat(runActivity.metrics()).isEmpty();
    }

    @Test
    void whatDoesNotExistIsNotFoundByName() throws Exception {
        journeyWithRun();
        assertThatThrownBy(() -> client.getJourneyExecutionMetrics(r -> r.applicationId(app).journeyId("nope")))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("nope");
        assertThatThrownBy(() -> client.getJourneyExecutionMetrics(r -> r.applicationId("noapp")
                .journeyId(journey.id()))).isInstanceOf(NotFoundException.class).hasMessageContaining("noapp");
        assertThatThrownBy(() -> runMetrics("norun"))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("norun");
        assertThatThrownBy(() -> activityMetrics("noactivity"))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("noactivity");
        assertThatThrownBy(() -> runActivityMetrics(runId, "noactivity"))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("noactivity");
        assertThatThrownBy(() -> runActivityMetrics("norun", "send"))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("norun");
        // A journey of another app is not found through this one.
        String other = createApp("other");
        assertThatThrownBy(() -> client.getJourneyExecutionMetrics(r -> r.applicationId(other)
                .journeyId(journey.id()))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void countersWrittenInATransactionAreReadBackExactly() throws Exception {
        journeyWithRun();
        Instant first = Instant.parse("2026-11-20T10:00:00.123Z");
        count(List.of(CounterDelta.run(runId, MetricKeys.ENDPOINT_PRODUCED, 5),
                CounterDelta.run(runId, MetricKeys.ENDPOINT_ENTERED, 3),
                CounterDelta.run(runId, MetricKeys.ENDPOINT_ACTIVE, 3),
                CounterDelta.run(runId, "FILTERED_OUT_BY_SEGMENT", 2),
                CounterDelta.activity(runId, "split", MetricKeys.branch(1), 2),
                CounterDelta.activity(runId, "split", MetricKeys.branch(2), 1),
                CounterDelta.activity(runId, "send", MetricKeys.SUCCESS, 1),
                CounterDelta.activity(runId, "send", MetricKeys.SUCCESS, 1)), first);
        Instant second = first.plusSeconds(60);
        // Two participants finish: active down, left up. Another run (an earlier one) counted one entry.
        count(List.of(CounterDelta.run(runId, MetricKeys.ENDPOINT_ACTIVE, -2),
                CounterDelta.run(runId, MetricKeys.ENDPOINT_LEFT, 2),
                CounterDelta.run("earlier-run", MetricKeys.ENDPOINT_ENTERED, 1)), second);

        assertThat(runMetrics(runId).metrics()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "ENDPOINT_PRODUCED", "5", "ENDPOINT_ENTERED", "3", "ENDPOINT_ACTIVE", "1", "ENDPOINT_LEFT", "2",
                "FILTERED_OUT_BY_SEGMENT", "2"));
        assertThat(runMetrics(runId).lastEvaluatedTime()).isEqualTo("2026-11-20T10:01:00.123Z");
        JourneyExecutionMetricsResponse whole = journeyMetrics();
        assertThat(whole.metrics()).containsEntry("ENDPOINT_ENTERED", "4").containsEntry("ENDPOINT_LEFT", "2")
                .containsEntry("ENDPOINT_ACTIVE", "1").hasSize(5);
        assertThat(whole.lastEvaluatedTime()).isEqualTo("2026-11-20T10:01:00.123Z");
        assertThat(activityMetrics("split").metrics()).containsExactlyInAnyOrderEntriesOf(
                Map.of("Branch_1", "2", "Branch_2", "1"));
        assertThat(activityMetrics("split").lastEvaluatedTime()).isEqualTo("2026-11-20T10:00:00.123Z");
        assertThat(runActivityMetrics(runId, "send").metrics()).containsExactlyEntriesOf(Map.of("SUCCESS", "2"));
        // An activity with nothing counted stays empty, and still answers its creation time.
        assertThat(activityMetrics("pause").metrics()).isEmpty();
        assertThat(activityMetrics("pause").lastEvaluatedTime()).isEqualTo(journey.creationDate());
    }

    @Test
    void aRolledBackMoveCountsNothing() throws Exception {
        journeyWithRun();
        assertThatThrownBy(() -> sqlStore().jdbi().useTransaction(handle -> {
            sqlStore().journeyCounters().add(handle, app, journey.id(),
                    List.of(CounterDelta.run(runId, MetricKeys.ENDPOINT_ENTERED, 1)), Instant.now());
            throw new IllegalStateException("the move failed");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(runMetrics(runId).metrics()).isEmpty();
        assertThat(journeyMetrics().metrics()).isEmpty();
    }

    @Test
    void countersGoWithTheirJourneyAndMoveWithAnExport() throws Exception {
        journeyWithRun();
        count(List.of(CounterDelta.run(runId, MetricKeys.ENDPOINT_ENTERED, 7)), Instant.now());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SqlTransfer.export(sqlStore(), out, () -> { });
        try (SqlStore copy = SqlStore.open("jdbc:sqlite:" + dataDir.resolve("copy.db"))) {
            SqlTransfer.importFrom(copy, new BufferedReader(new StringReader(out.toString(StandardCharsets.UTF_8))),
                    () -> { });
            assertThat(copy.journeyCounters().read(app, journey.id(), Optional.of(runId), "").values())
                    .containsExactlyEntriesOf(Map.of("ENDPOINT_ENTERED", 7L));
        }
        client.deleteJourney(r -> r.applicationId(app).journeyId(journey.id()));
        assertThat(sqlStore().journeyCounters().read(app, journey.id(), Optional.empty(), "").values()).isEmpty();
    }
}
