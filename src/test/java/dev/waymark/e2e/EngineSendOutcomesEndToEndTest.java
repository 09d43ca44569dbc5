package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.pinpoint.model.Activity;
import software.amazon.awssdk.services.pinpoint.model.ChannelType;
import software.amazon.awssdk.services.pinpoint.model.CustomMessageActivity;
import software.amazon.awssdk.services.pinpoint.model.EmailMessageActivity;
import software.amazon.awssdk.services.pinpoint.model.JourneyLimits;
import software.amazon.awssdk.services.pinpoint.model.QuietTime;
import software.amazon.awssdk.services.pinpoint.model.SegmentCondition;
import software.amazon.awssdk.services.pinpoint.model.StartCondition;
import software.amazon.awssdk.services.pinpoint.model.State;
import software.amazon.awssdk.services.pinpoint.model.WriteJourneyRequest;

/**
 * Messages a journey does not deliver, end to end (engine.md E2, E3): a missing template (FAILURE_PERMANENT), a cap
 * reached (TOTAL_CAP), a CUSTOM receiver refusing (CUSTOM_DELIVERY_FAILURE), quiet time without waiting (QUIET_TIME,
 * and an endpoint without a time zone is not held); each participant moves on and leaves, every counter exact.
 */
class EngineSendOutcomesEndToEndTest extends EngineEndToEndTest {
    /** Three endpoints with a time zone (UTC), one without. */
    private static final List<String> PEOPLE = List.of("q0", "q1", "q2", "q3");

    private String audience(String app) {
        for (String id : PEOPLE) {
            client.updateEndpoint(r -> r.applicationId(app).endpointId(id).endpointRequest(e -> e
                    .channelType(ChannelType.EMAIL).address(id + "@example.com")
                    .attributes(Map.of("plan", List.of("gold")))
                    .demographic(d -> d.timezone(id.equals("q3") ? null : "UTC"))));
        }
        return everyone(app);
    }

    private WriteJourneyRequest.Builder journey(String name, String segment, String start) {
        return WriteJourneyRequest.builder().name(name + "-" + store).startActivity(start)
                .startCondition(StartCondition.builder().segmentStartCondition(SegmentCondition.builder()
                        .segmentId(segment).build()).build());
    }

    private static Activity email(String template, String next) {
        return Activity.builder().email(EmailMessageActivity.builder().templateName(template).nextActivity(next)
                .build()).build();
    }

    @Test
    void undeliveredMessagesAreCountedByReasonAndTheirParticipantsMoveOn() throws Exception {
        String app = appWithChannels("outcomes");
        String segment = audience(app);
        // No template → FAILURE_PERMANENT; a first email; TotalCap 1 refuses the second message and the CUSTOM one.
        String capped = publish(app, journey("capped", segment, "missing")
                .limits(JourneyLimits.builder().totalCap(1).build())
                .activities(Map.of(
                        "missing", email("no-such-template", "first"),
                        "first", email(EMAIL_TEMPLATE, "second"),
                        "second", email(EMAIL_TEMPLATE, "late"),
                        "late", Activity.builder().custom(CustomMessageActivity.builder().deliveryUri(customUri())
                                .endpointTypesWithStrings("EMAIL").build()).build()))
                .build());
        // A CUSTOM receiver that answers 400: failed for good, not retried.
        String refused = publish(app, journey("refused", segment, "refusing")
                .activities(Map.of("refusing", Activity.builder().custom(CustomMessageActivity.builder()
                        .deliveryUri(receiverUrl() + "/refuse").endpointTypesWithStrings("EMAIL").build()).build()))
                .build());
        // Quiet time now, in UTC, without waiting for its end: dropped, except for the endpoint without a zone.
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm");
        String quiet = publish(app, journey("quiet", segment, "hushed")
                .quietTime(QuietTime.builder().start(now.minusHours(1).format(hhmm)).end(now.plusHours(1).format(hhmm))
                        .build())
                .waitForQuietTime(false)
                .activities(Map.of("hushed", email(EMAIL_TEMPLATE, null)))
                .build());

        for (String journey : List.of(capped, refused, quiet)) {
            awaitState(app, journey, State.COMPLETED, Duration.ofSeconds(20));
        }
        Map<String, Map<String, Map<String, String>>> expected = new LinkedHashMap<>();
        expected.put(capped, Map.of("missing", Map.of("FAILURE_PERMANENT", "4"), "first", Map.of("SUCCESS", "4"),
                "second", Map.of("TOTAL_CAP", "4"), "late", Map.of("TOTAL_CAP", "4")));
        expected.put(refused, Map.of("refusing", Map.of("CUSTOM_DELIVERY_FAILURE", "4")));
        expected.put(quiet, Map.of("hushed", Map.of("QUIET_TIME", "3", "SUCCESS", "1")));
        Map<String, Long> entry = new LinkedHashMap<>();
        entry.put("ENDPOINT_PRODUCED", 4L);
        entry.put("ENDPOINT_ENTERED", 4L);
        entry.put("ENDPOINT_LEFT", 4L);
        entry.put("ENDPOINT_ACTIVE", 0L);
        Map<String, String> figures = expected(entry, "ENDPOINT_ACTIVE");
        for (Map.Entry<String, Map<String, Map<String, String>>> journey : expected.entrySet()) {
            assertThat(journeyMetrics(app, journey.getKey())).as("metrics of " + journey.getKey())
                    .containsExactlyInAnyOrderEntriesOf(figures);
            for (Map.Entry<String, Map<String, String>> activity : journey.getValue().entrySet()) {
                awaitEqual("the metrics of " + activity.getKey(), Duration.ofSeconds(10),
                        () -> activityMetrics(app, journey.getKey(), activity.getKey()), activity.getValue());
            }
        }

        // Emails: the capped journey's first one to everyone, the quiet journey's to q3 only.
        Map<String, List<String>> byJourney = new LinkedHashMap<>();
        for (MimeMessage message : emails()) {
            String journey = message.getMessageID().substring(1, message.getMessageID().indexOf("=2F"));
            byJourney.computeIfAbsent(journey, k -> new java.util.ArrayList<>()).add(recipient(message));
        }
        assertThat(byJourney).containsOnlyKeys(capped, quiet);
        assertThat(byJourney.get(capped)).containsExactlyInAnyOrder("q0@example.com", "q1@example.com",
                "q2@example.com", "q3@example.com");
        assertThat(byJourney.get(quiet)).containsExactly("q3@example.com");
        assertThat(customHooks).isEmpty();
        assertThat(refusedHooks).extracting(hook -> hook.json().path("Endpoints").fieldNames().next())
                .containsExactlyInAnyOrderElementsOf(PEOPLE);
    }
}
