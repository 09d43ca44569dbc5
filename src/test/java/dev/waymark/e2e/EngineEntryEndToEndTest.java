package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.pinpoint.model.JourneyRunResponse;

/**
 * Who enters a segment-started run, and when (engine.md E1), on the engine's own clock: the entry filters in their
 * order, each counted once at the run; LocalTime entering each time zone at the run's wall-clock start in that zone
 * (daylight saving included), a phone number's zone estimated; already active and re-entry limits across runs.
 */
class EngineEntryEndToEndTest extends ManualEngineEndToEndTest {

    /**
     * StartTime 10:00 at UTC+09 on 2026-03-08: Tokyo enters at 01:00Z, Berlin (CET) at 09:00Z, New York at 14:00Z
     * (summer time began there at 02:00 that morning, so not 15:00Z), and the phone number estimated to be in New
     * York with it. Each refused endpoint fails more than one filter: only the first one counts it.
     */
    @Test
    void entryFiltersRefuseInOrderAndLocalTimeEntersEachZoneAtItsHour() {
        emailEndpoint("tokyo", "entry", "Asia/Tokyo");
        emailEndpoint("berlin", "entry", "Europe/Berlin");
        emailEndpoint("newyork", "entry", "America/New_York");
        endpoint("phone", e -> e.channelType("SMS").address("+12127365000")
                .attributes(Map.of("group", List.of("entry"))));
        endpoint("optout", e -> e.optOut("ALL").endpointStatus("INACTIVE")
                .attributes(Map.of("group", List.of("entry"))));
        client.updateEndpoint(r -> r.applicationId(appId).endpointId("inactive").endpointRequest(e -> e
                .channelType("EMAIL").endpointStatus("INACTIVE").attributes(Map.of("group", List.of("entry")))));
        client.updateEndpoint(r -> r.applicationId(appId).endpointId("noaddress").endpointRequest(e -> e
                .channelType("EMAIL").attributes(Map.of("group", List.of("entry")))));
        endpoint("notimezone", e -> e.attributes(Map.of("group", List.of("entry"))));

        Instant start = Instant.parse("2026-03-08T01:00:00Z");
        String journeyId = publish(journey("local", segment("entry", "entry"), "W", Map.of("W", waitFor("PT1M", null)))
                .localTime(true).timezoneEstimationMethodsWithStrings("PHONE_NUMBER")
                .schedule(s -> s.startTime(start).timezone("UTC+09")));
        at(start.minusSeconds(1));
        assertThat(runs(journeyId)).extracting(JourneyRunResponse::statusAsString).containsExactly("SCHEDULED");

        Map<String, String> refused = metrics("ENDPOINT_PRODUCED", 8, "ENDPOINT_OPT_OUT", 1, "ENDPOINT_INACTIVE", 1,
                "ENDPOINT_MISSING_ADDRESS", 1, "ENDPOINT_MISSING_TIMEZONE", 1, "ENDPOINT_ESTIMATED_TIMEZONE", 1);
        at(start);
        assertThat(runs(journeyId)).extracting(JourneyRunResponse::statusAsString).containsExactly("RUNNING");
        assertSingleRun(journeyId, with(refused, "ENDPOINT_ENTERED", 1, "ENDPOINT_ACTIVE", 1));
        at(Instant.parse("2026-03-08T08:59:59Z"));
        assertSingleRun(journeyId, with(refused, "ENDPOINT_ENTERED", 1, "ENDPOINT_ACTIVE", 0, "ENDPOINT_LEFT", 1));
        at(Instant.parse("2026-03-08T09:00:00Z"));
        assertSingleRun(journeyId, with(refused, "ENDPOINT_ENTERED", 2, "ENDPOINT_ACTIVE", 1, "ENDPOINT_LEFT", 1));
        at(Instant.parse("2026-03-08T13:59:59Z"));
        assertSingleRun(journeyId, with(refused, "ENDPOINT_ENTERED", 2, "ENDPOINT_ACTIVE", 0, "ENDPOINT_LEFT", 2));
        assertThat(runs(journeyId)).extracting(JourneyRunResponse::statusAsString).containsExactly("RUNNING");

        at(Instant.parse("2026-03-08T14:00:00Z"));
        assertSingleRun(journeyId, with(refused, "ENDPOINT_ENTERED", 4, "ENDPOINT_ACTIVE", 2, "ENDPOINT_LEFT", 2));
        assertThat(runs(journeyId)).extracting(JourneyRunResponse::statusAsString).containsExactly("COMPLETED");
        at(Instant.parse("2026-03-08T14:01:00Z"));
        assertSingleRun(journeyId, with(refused, "ENDPOINT_ENTERED", 4, "ENDPOINT_ACTIVE", 0, "ENDPOINT_LEFT", 4));
        assertThat(activityMetrics(journeyId, "W", "WAIT")).isEqualTo(metrics("COMPLETED", 4));
    }

    /**
     * Hourly runs, a 90-minute Wait, EndpointReentryCap 2 and EndpointReentryInterval 150 minutes: run 1 enters both
     * endpoints, run 2 finds them still active, run 3 is inside the interval, run 4 enters them again, run 5 finds
     * them active, run 6 is inside the interval, run 7 is past it but at the cap.
     */
    @Test
    void alreadyActiveReentryIntervalAndReentryCapAcrossRuns() {
        emailEndpoint("again-1", "again", "Europe/Berlin");
        emailEndpoint("again-2", "again", "Europe/Berlin");
        String journeyId = publish(journey("again", segment("again", "again"), "W",
                Map.of("W", waitFor("PT90M", null))).refreshFrequency("PT1H")
                .limits(l -> l.endpointReentryCap(2).endpointReentryInterval("PT150M")));
        Map<String, String> entered = metrics("ENDPOINT_PRODUCED", 2, "ENDPOINT_ENTERED", 2, "ENDPOINT_ACTIVE", 0,
                "ENDPOINT_LEFT", 2);
        Map<String, String> active = metrics("ENDPOINT_PRODUCED", 2, "ACTIVE_ENDPOINT_REJECTED", 2);
        Map<String, String> capped = metrics("ENDPOINT_PRODUCED", 2, "REENTRY_CAP_EXCEEDED", 2);
        for (int minutes : new int[] {0, 60, 90, 120, 180, 240, 270, 300, 360}) {
            at(T0.plus(Duration.ofMinutes(minutes)));
        }
        List<JourneyRunResponse> runs = runs(journeyId);
        assertThat(runs).extracting(JourneyRunResponse::statusAsString).containsExactly("COMPLETED", "COMPLETED",
                "COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED", "SCHEDULED");
        List<Map<String, String>> expected = List.of(entered, active, capped, entered, active, capped, capped);
        for (int run = 0; run < expected.size(); run++) {
            String runId = runs.get(run).runId();
            assertThat(runMetrics(journeyId, runId)).as("run %d", run + 1).isEqualTo(expected.get(run));
        }
        assertThat(journeyMetrics(journeyId)).isEqualTo(metrics("ENDPOINT_PRODUCED", 14, "ENDPOINT_ENTERED", 4,
                "ENDPOINT_ACTIVE", 0, "ENDPOINT_LEFT", 4, "ACTIVE_ENDPOINT_REJECTED", 4, "REENTRY_CAP_EXCEEDED", 6));
        assertThat(activityMetrics(journeyId, "W", "WAIT")).isEqualTo(metrics("COMPLETED", 4));
        assertThat(runActivityMetrics(journeyId, runs.get(0).runId(), "W")).isEqualTo(metrics("COMPLETED", 2));
        assertThat(runActivityMetrics(journeyId, runs.get(1).runId(), "W")).isEmpty();
        assertThat(runActivityMetrics(journeyId, runs.get(3).runId(), "W")).isEqualTo(metrics("COMPLETED", 2));
    }

    /** {@code base} with these key, count pairs added or replaced. */
    private static Map<String, String> with(Map<String, String> base, Object... keysAndCounts) {
        Map<String, String> map = new java.util.LinkedHashMap<>(base);
        map.putAll(metrics(keysAndCounts));
        return map;
    }
}
