package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.runs.StoredRuns;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.pinpoint.model.JourneyRunResponse;
import software.amazon.awssdk.services.pinpoint.model.JourneyRunsResponse;
import software.amazon.awssdk.services.pinpoint.model.JourneySchedule;

/** A page served from the settled-page cache answers exactly what a read of the store answers. */
class RunPageCacheEndToEndTest extends EndToEndTest {
    @Test
    void aNextTokenWithdrawnByAScheduleChangeIsNotServedFromTheCache() throws Exception {
        String appId = createApp("cached");
        String journeyId = client.createJourney(r -> r.applicationId(appId).writeJourneyRequest(SampleJourneys
                .simple("hourly").toBuilder().state("ACTIVE").refreshFrequency("PT1H").build())).journeyResponse().id();
        // Run 1 starts at once and completes; run 2 waits an hour, SCHEDULED.
        List<JourneyRunResponse> runs = waitForRuns(appId, journeyId);
        assertThat(runs).extracting(JourneyRunResponse::statusAsString).containsExactly("COMPLETED", "SCHEDULED");
        JourneyRunsResponse first = page(appId, journeyId);
        assertThat(first.nextToken()).isNotNull();

        // An EndTime before run 2 withdraws it: the first page is now the last.
        client.updateJourney(r -> r.applicationId(appId).journeyId(journeyId).writeJourneyRequest(SampleJourneys
                .simple("hourly").toBuilder().refreshFrequency("PT1H")
                .schedule(JourneySchedule.builder().endTime(Instant.now().plusSeconds(60)).build()).build()));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (StoredRuns.read(waymark.server().store().runs(), appId, journeyId, 10).size() > 1) {
            assertThat(Instant.now()).as("run 2 withdrawn").isBefore(deadline);
            Thread.sleep(50);
        }
        JourneyRunsResponse after = page(appId, journeyId);
        assertThat(after.item()).hasSize(1);
        assertThat(after.nextToken()).isNull();
    }

    private JourneyRunsResponse page(String appId, String journeyId) {
        return client.getJourneyRuns(r -> r.applicationId(appId).journeyId(journeyId).pageSize("1"))
                .journeyRunsResponse();
    }

    private List<JourneyRunResponse> waitForRuns(String appId, String journeyId) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (true) {
            List<JourneyRunResponse> runs = client.getJourneyRuns(r -> r.applicationId(appId).journeyId(journeyId))
                    .journeyRunsResponse().item();
            if (runs.size() == 2 && runs.get(0).statusAsString().equals("COMPLETED")) {
                return runs;
            }
            assertThat(Instant.now()).as("run 1 completed and run 2 scheduled").isBefore(deadline);
            Thread.sleep(50);
        }
    }
}
