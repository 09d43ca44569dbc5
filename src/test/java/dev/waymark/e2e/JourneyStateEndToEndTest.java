package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.pinpoint.model.Activity;
import software.amazon.awssdk.services.pinpoint.model.ChannelType;
import software.amazon.awssdk.services.pinpoint.model.EmailMessageActivity;
import software.amazon.awssdk.services.pinpoint.model.SegmentCondition;
import software.amazon.awssdk.services.pinpoint.model.StartCondition;
import software.amazon.awssdk.services.pinpoint.model.State;
import software.amazon.awssdk.services.pinpoint.model.WaitActivity;
import software.amazon.awssdk.services.pinpoint.model.WaitTime;
import software.amazon.awssdk.services.pinpoint.model.WriteJourneyRequest;

/**
 * Journey state and participants end to end (engine.md E4): a pause freezes Waits and a resume goes on with the time
 * they had left; a cancel takes every participant out of its Wait and nothing is sent after it; DeleteEndpoint takes
 * a participant out (ENDPOINT_LEFT) before its message; a journey CLOSED while participants wait becomes COMPLETED
 * when the last one leaves.
 */
class JourneyStateEndToEndTest extends EngineEndToEndTest {
    private static final int PEOPLE = 6;

    /** PEOPLE EMAIL endpoints p0…p5 and the segment of everyone; the segment's id. */
    private String audience(String app) {
        for (int i = 0; i < PEOPLE; i++) {
            String id = "p" + i;
            client.updateEndpoint(r -> r.applicationId(app).endpointId(id).endpointRequest(e -> e
                    .channelType(ChannelType.EMAIL).address(id + "@example.com")
                    .attributes(Map.of("plan", List.of("gold")))));
        }
        return everyone(app);
    }

    /** Wait {@code waitFor} → EMAIL, entered from {@code segment}. */
    private WriteJourneyRequest waitThenMail(String name, String segment, String waitFor) {
        return WriteJourneyRequest.builder().name(name + "-" + store).startActivity("hold")
                .startCondition(StartCondition.builder().segmentStartCondition(SegmentCondition.builder()
                        .segmentId(segment).build()).build())
                .activities(Map.of(
                        "hold", Activity.builder().waitValue(WaitActivity.builder().waitTime(WaitTime.builder()
                                .waitFor(waitFor).build()).nextActivity("email").build()).build(),
                        "email", Activity.builder().email(EmailMessageActivity.builder().templateName(EMAIL_TEMPLATE)
                                .build()).build()))
                .build();
    }

    private void awaitEntered(String app, String journey, int count) {
        await("ENDPOINT_ENTERED of " + journey, Duration.ofSeconds(10),
                () -> metric(journeyMetrics(app, journey), "ENDPOINT_ENTERED"), entered -> entered == count);
    }

    @Test
    void pausedWaitsFreezeAndResumeWithTheTimeTheyHadLeft() throws Exception {
        String app = appWithChannels("pause");
        String segment = audience(app);
        Instant published = Instant.now();
        // Only a journey with a RefreshFrequency can be paused; its next run is an hour away.
        String journey = publish(app, waitThenMail("pause", segment, "PT6S").toBuilder().refreshFrequency("PT1H")
                .build());
        awaitEntered(app, journey, PEOPLE);
        Instant entered = Instant.now();
        Thread.sleep(4000);
        Instant paused = Instant.now();
        setState(app, journey, State.PAUSED);
        assertThat(state(app, journey)).isEqualTo(State.PAUSED);

        // Paused longer than the whole Wait: nobody moves, nothing is sent.
        long pauseEnd = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        while (System.nanoTime() < pauseEnd) {
            assertThat(activityMetrics(app, journey, "hold")).as("the Wait's counters while paused").isEmpty();
            assertThat(activityMetrics(app, journey, "email")).as("the EMAIL's counters while paused").isEmpty();
            assertThat(emails()).as("emails while paused").isEmpty();
            Thread.sleep(250);
        }

        Instant resumed = Instant.now();
        setState(app, journey, State.ACTIVE);
        await("the Wait's COMPLETED after the resume", Duration.ofSeconds(15),
                () -> metric(activityMetrics(app, journey, "hold"), "COMPLETED"), done -> done == PEOPLE);
        Instant moved = Instant.now();
        // Each had 6 s minus the time it waited before the pause: at least 6 s − (paused − published), at most
        // 6 s − (paused − entered) (+ polling). Not at once (the Wait ran on while paused), not 6 s (started over).
        Duration earliest = Duration.ofSeconds(6).minus(Duration.between(published, paused));
        Duration latest = Duration.ofSeconds(6).minus(Duration.between(entered, paused)).plusMillis(1500);
        assertThat(Duration.between(resumed, moved)).as("from the resume to the end of the Wait")
                .isBetween(earliest.minusMillis(100), latest);

        awaitEqual("the EMAIL's counters", Duration.ofSeconds(15), () -> activityMetrics(app, journey, "email"),
                Map.of("SUCCESS", Integer.toString(PEOPLE)));
        assertThat(emails()).hasSize(PEOPLE);
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("ENDPOINT_PRODUCED", (long) PEOPLE);
        counts.put("ENDPOINT_ENTERED", (long) PEOPLE);
        counts.put("ENDPOINT_LEFT", (long) PEOPLE);
        counts.put("ENDPOINT_ACTIVE", 0L);
        awaitEqual("the journey's metrics", Duration.ofSeconds(5), () -> journeyMetrics(app, journey),
                expected(counts, "ENDPOINT_ACTIVE"));
        assertThat(state(app, journey)).isEqualTo(State.ACTIVE);
    }

    @Test
    void cancellingTakesEveryoneOutOfTheirWaitAndSendsNothingMore() throws Exception {
        String app = appWithChannels("cancel");
        String segment = audience(app);
        Instant published = Instant.now();
        String journey = publish(app, waitThenMail("cancel", segment, "PT6S"));
        awaitEntered(app, journey, PEOPLE);
        setState(app, journey, State.CANCELLED);
        assertThat(state(app, journey)).isEqualTo(State.CANCELLED);

        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("ENDPOINT_PRODUCED", (long) PEOPLE);
        counts.put("ENDPOINT_ENTERED", (long) PEOPLE);
        counts.put("CANCELLED", (long) PEOPLE);
        counts.put("ENDPOINT_ACTIVE", 0L);
        Map<String, String> figures = expected(counts, "ENDPOINT_ACTIVE");
        awaitEqual("the journey's metrics after the cancel", Duration.ofSeconds(5), () -> journeyMetrics(app, journey),
                figures);

        // Past the end the Wait would have had, and time for a message to be delivered: nothing moved, nothing left.
        Duration left = Duration.ofSeconds(9).minus(Duration.between(published, Instant.now()));
        if (!left.isNegative()) {
            Thread.sleep(left.toMillis());
        }
        assertThat(emails()).isEmpty();
        assertThat(activityMetrics(app, journey, "hold")).isEmpty();
        assertThat(activityMetrics(app, journey, "email")).isEmpty();
        assertThat(journeyMetrics(app, journey)).containsExactlyInAnyOrderEntriesOf(figures);
        assertThat(state(app, journey)).isEqualTo(State.CANCELLED);
    }

    @Test
    void aDeletedEndpointLeavesAndTheJourneyCompletesWhenTheLastParticipantLeaves() throws Exception {
        String app = appWithChannels("delete");
        String segment = audience(app);
        String journey = publish(app, waitThenMail("delete", segment, "PT6S"));
        String run = firstRun(app, journey);
        awaitEntered(app, journey, PEOPLE);

        // One run, no refresh: once it completed the journey is CLOSED, while its participants still wait.
        record Seen(State state, long completed) {}
        Seen closed = await("CLOSED while the participants wait", Duration.ofSeconds(5),
                () -> new Seen(state(app, journey), metric(activityMetrics(app, journey, "hold"), "COMPLETED")),
                seen -> seen.state() == State.CLOSED);
        assertThat(closed.completed()).as("participants done waiting when the journey closed").isZero();
        assertThat(runs(app, journey)).extracting(r -> r.statusAsString()).containsExactly("COMPLETED");

        client.deleteEndpoint(r -> r.applicationId(app).endpointId("p1"));
        client.deleteEndpoint(r -> r.applicationId(app).endpointId("P4"));
        await("ENDPOINT_LEFT after two DeleteEndpoint", Duration.ofSeconds(3),
                () -> metric(journeyMetrics(app, journey), "ENDPOINT_LEFT"), count -> count == 2);
        Map<String, String> waiting = journeyMetrics(app, journey);
        assertThat(waiting).containsEntry("ENDPOINT_ACTIVE", Integer.toString(PEOPLE - 2));
        assertThat(activityMetrics(app, journey, "hold")).as("nobody finished the Wait yet").isEmpty();
        assertThat(state(app, journey)).isEqualTo(State.CLOSED);

        awaitState(app, journey, State.COMPLETED, Duration.ofSeconds(20));
        awaitEqual("the EMAIL's counters", Duration.ofSeconds(10), () -> activityMetrics(app, journey, "email"),
                Map.of("SUCCESS", Integer.toString(PEOPLE - 2)));
        assertThat(emails()).extracting(EngineEndToEndTest::recipient).containsExactlyInAnyOrder(
                "p0@example.com", "p2@example.com", "p3@example.com", "p5@example.com");
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("ENDPOINT_PRODUCED", (long) PEOPLE);
        counts.put("ENDPOINT_ENTERED", (long) PEOPLE);
        counts.put("ENDPOINT_LEFT", (long) PEOPLE);
        counts.put("ENDPOINT_ACTIVE", 0L);
        Map<String, String> figures = expected(counts, "ENDPOINT_ACTIVE");
        assertThat(journeyMetrics(app, journey)).containsExactlyInAnyOrderEntriesOf(figures);
        assertThat(runMetrics(app, journey, run)).containsExactlyInAnyOrderEntriesOf(figures);
        assertThat(activityMetrics(app, journey, "hold")).containsExactlyInAnyOrderEntriesOf(
                Map.of("COMPLETED", Integer.toString(PEOPLE - 2)));
    }
}
