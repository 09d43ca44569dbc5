package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.pinpoint.model.Activity;
import software.amazon.awssdk.services.pinpoint.model.ChannelType;
import software.amazon.awssdk.services.pinpoint.model.JourneySchedule;
import software.amazon.awssdk.services.pinpoint.model.SMSMessageActivity;
import software.amazon.awssdk.services.pinpoint.model.SegmentCondition;
import software.amazon.awssdk.services.pinpoint.model.StartCondition;
import software.amazon.awssdk.services.pinpoint.model.State;
import software.amazon.awssdk.services.pinpoint.model.WriteJourneyRequest;

/**
 * Entry in each endpoint's own time zone, end to end (engine.md E1, LocalTime): the run's wall-clock start (a minute
 * ago, in UTC) has passed in Tokyo, so Tokyo enters at once, with its zone given or estimated from its phone number
 * (ENDPOINT_ESTIMATED_TIMEZONE); it is ten hours away in Honolulu, so that endpoint waits and the run stays RUNNING;
 * an endpoint without any zone is refused (ENDPOINT_MISSING_TIMEZONE). A cancel then cancels the run.
 */
class EngineLocalTimeEndToEndTest extends EngineEndToEndTest {
    private void endpoint(String app, String id, ChannelType channel, String address, String zone) {
        client.updateEndpoint(r -> r.applicationId(app).endpointId(id).endpointRequest(e -> e.channelType(channel)
                .address(address).demographic(d -> d.timezone(zone))));
    }

    @Test
    void eachEndpointEntersWhenTheStartArrivesInItsOwnZone() throws Exception {
        String app = appWithChannels("local-time");
        endpoint(app, "tokyo", ChannelType.SMS, "+81312345678", "Asia/Tokyo");
        endpoint(app, "osaka", ChannelType.SMS, "+81612345678", null);
        endpoint(app, "honolulu", ChannelType.SMS, "+18085550100", "Pacific/Honolulu");
        endpoint(app, "nowhere", ChannelType.EMAIL, "nowhere@example.com", null);
        String journey = publish(app, WriteJourneyRequest.builder().name("local-" + store).startActivity("text")
                .startCondition(StartCondition.builder().segmentStartCondition(SegmentCondition.builder()
                        .segmentId(everyone(app)).build()).build())
                .localTime(true)
                .timezoneEstimationMethodsWithStrings("PHONE_NUMBER")
                .schedule(JourneySchedule.builder().startTime(Instant.now().minus(1, ChronoUnit.MINUTES)
                        .truncatedTo(ChronoUnit.SECONDS)).timezone("UTC").build())
                .activities(Map.of("text", Activity.builder().sms(SMSMessageActivity.builder()
                        .templateName(SMS_TEMPLATE).build()).build()))
                .build());
        String run = firstRun(app, journey);

        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("ENDPOINT_PRODUCED", 4L);
        counts.put("ENDPOINT_MISSING_TIMEZONE", 1L);
        counts.put("ENDPOINT_ESTIMATED_TIMEZONE", 1L);
        counts.put("ENDPOINT_ENTERED", 2L);
        counts.put("ENDPOINT_LEFT", 2L);
        counts.put("ENDPOINT_ACTIVE", 0L);
        Map<String, String> figures = expected(counts, "ENDPOINT_ACTIVE");
        awaitEqual("the run's metrics with Honolulu still to enter", Duration.ofSeconds(15),
                () -> runMetrics(app, journey, run), figures);
        awaitEqual("the SMS activity's counters", Duration.ofSeconds(10), () -> activityMetrics(app, journey, "text"),
                Map.of("SUCCESS", "2"));
        assertThat(smsHooks).extracting(hook -> hook.json().path("EndpointId").asText())
                .containsExactlyInAnyOrder("tokyo", "osaka");
        assertThat(runs(app, journey)).extracting(r -> r.statusAsString()).containsExactly("RUNNING");
        assertThat(state(app, journey)).isEqualTo(State.ACTIVE);

        setState(app, journey, State.CANCELLED);
        await("the run after the cancel", Duration.ofSeconds(10), () -> runs(app, journey).get(0).statusAsString(),
                "CANCELLED"::equals);
        Thread.sleep(1000);
        // Honolulu never entered, so it is not counted CANCELLED either.
        assertThat(runMetrics(app, journey, run)).containsExactlyInAnyOrderEntriesOf(figures);
        assertThat(smsHooks).hasSize(2);
    }
}
