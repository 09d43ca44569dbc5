package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.pinpoint.model.Activity;
import software.amazon.awssdk.services.pinpoint.model.State;

/**
 * How journey messages leave (engine.md E3, E4) on the engine's own clock, delivered over real SMTP: the caps with
 * the app's JourneyLimits as defaults, quiet time across midnight and across a daylight-saving change in two time
 * zones (held then sent when it ends, or dropped), and a paused journey's queued messages held, then withdrawn by a
 * cancel (never delivered) or sent after a resume.
 */
class EngineSendingEndToEndTest extends ManualEngineEndToEndTest {

    /**
     * The app allows 1 a day and 3 in 2 days from all journeys. Journey 1 (DailyCap 2, TotalCap 3) sends capped-1
     * two emails, refuses the third (DAILY_CAP), sends the fourth a day later and refuses the fifth (TOTAL_CAP).
     * Journey 2 has no limits: capped-1 has had 3 in 2 days (TIMEFRAME_CAP twice); capped-2 gets one, then the app's
     * daily cap refuses the second.
     */
    @Test
    void capsRefuseWithTheJourneysLimitsElseTheAppsDefaults() {
        client.updateApplicationSettings(r -> r.applicationId(appId).writeApplicationSettingsRequest(w -> w
                .journeyLimits(l -> l.dailyCap(1).totalCap(0).timeframeCap(t -> t.cap(3).days(2)))));
        emailEndpoint("capped-1", "one", "Europe/Berlin");
        emailEndpoint("capped-2", "two", "Europe/Berlin");
        String first = publish(journey("caps", segment("one", "one"), "E1", Map.of(
                "E1", email("E2"), "E2", email("E3"), "E3", email("W"), "W", waitFor("PT25H", "E4"),
                "E4", email("E5"), "E5", email(null))).limits(l -> l.dailyCap(2).totalCap(3)));
        at(T0);
        assertThat(awaitMail(2)).containsOnly("capped-1");
        awaitEqual("E1", () -> activityMetrics(first, "E1", "EMAIL"), metrics("SUCCESS", 1));
        awaitEqual("E2", () -> activityMetrics(first, "E2", "EMAIL"), metrics("SUCCESS", 1));
        assertThat(activityMetrics(first, "E3", "EMAIL")).isEqualTo(metrics("DAILY_CAP", 1));

        at(T0.plus(Duration.ofHours(25)));
        assertThat(awaitMail(3)).containsOnly("capped-1");
        awaitEqual("E4", () -> activityMetrics(first, "E4", "EMAIL"), metrics("SUCCESS", 1));
        assertThat(activityMetrics(first, "E5", "EMAIL")).isEqualTo(metrics("TOTAL_CAP", 1));
        assertSingleRun(first, metrics("ENDPOINT_PRODUCED", 1, "ENDPOINT_ENTERED", 1, "ENDPOINT_ACTIVE", 0,
                "ENDPOINT_LEFT", 1));

        String second = publish(journey("defaults", segment("both", "one", "two"), "F1", Map.of(
                "F1", email("F2"), "F2", email(null))));
        at(T0.plus(Duration.ofHours(25)));
        assertThat(awaitMail(4)).containsExactly("capped-1", "capped-1", "capped-1", "capped-2");
        awaitEqual("F1", () -> activityMetrics(second, "F1", "EMAIL"), metrics("TIMEFRAME_CAP", 1, "SUCCESS", 1));
        assertThat(activityMetrics(second, "F2", "EMAIL")).isEqualTo(metrics("TIMEFRAME_CAP", 1, "DAILY_CAP", 1));
        assertSingleRun(second, metrics("ENDPOINT_PRODUCED", 2, "ENDPOINT_ENTERED", 2, "ENDPOINT_ACTIVE", 0,
                "ENDPOINT_LEFT", 2));
    }

    /**
     * QuietTime 22:00-07:00 with WaitForQuietTime. On 2026-03-08 at 04:00Z it is 23:00 (EST) in New York and 05:00
     * (CET) in Berlin: Berlin's email leaves at 06:00Z, New York's at 11:00Z (07:00 EDT: summer time began in
     * between). On 2026-03-29 at 00:30Z it is 01:30 (CET) in Berlin, whose email leaves at 05:00Z (07:00 CEST), and
     * 20:30 in New York, which is sent at once; an endpoint without a time zone is never held. Then the app's quiet
     * time, with WaitForQuietTime false, drops Berlin's email at 23:30 local (QUIET_TIME) and sends New York's.
     */
    @Test
    void quietTimeHoldsAcrossMidnightAndDaylightSavingInTwoZonesOrDrops() throws Exception {
        emailEndpoint("ny", "march", "America/New_York");
        emailEndpoint("berlin", "march", "Europe/Berlin");
        endpoint("nowhere", e -> e.attributes(Map.of("group", List.of("march"))));
        Instant night = Instant.parse("2026-03-08T04:00:00Z");
        time.set(night);
        String march = publish(quiet("march", true));
        at(night);
        assertThat(outbox(march)).isEqualTo(1);
        assertThat(awaitMail(1)).containsExactly("nowhere");
        at(Instant.parse("2026-03-08T05:59:59Z"));
        assertThat(outbox(march)).as("Berlin at 06:59:59 CET").isEqualTo(1);
        at(Instant.parse("2026-03-08T06:00:00Z"));
        assertThat(outbox(march)).isEqualTo(2);
        assertThat(awaitMail(2)).containsExactly("nowhere", "berlin");
        at(Instant.parse("2026-03-08T10:59:59Z"));
        assertThat(outbox(march)).as("New York at 06:59:59 EDT").isEqualTo(2);
        at(Instant.parse("2026-03-08T11:00:00Z"));
        assertThat(awaitMail(3)).containsExactly("nowhere", "berlin", "ny");
        awaitEqual("E1 of march", () -> activityMetrics(march, "E1", "EMAIL"), metrics("SUCCESS", 3));

        emailEndpoint("ny-spring", "spring", "America/New_York");
        emailEndpoint("berlin-spring", "spring", "Europe/Berlin");
        Instant spring = Instant.parse("2026-03-29T00:30:00Z");
        time.set(spring);
        String april = publish(quiet("spring", true));
        at(spring);
        assertThat(awaitMail(4)).endsWith("ny-spring");
        at(Instant.parse("2026-03-29T04:59:59Z"));
        assertThat(outbox(april)).as("Berlin at 06:59:59 CEST").isEqualTo(1);
        at(Instant.parse("2026-03-29T05:00:00Z"));
        assertThat(awaitMail(5)).endsWith("ny-spring", "berlin-spring");
        awaitEqual("E1 of spring", () -> activityMetrics(april, "E1", "EMAIL"), metrics("SUCCESS", 2));

        client.updateApplicationSettings(r -> r.applicationId(appId).writeApplicationSettingsRequest(w -> w
                .quietTime(q -> q.start("22:00").end("07:00"))));
        emailEndpoint("ny-late", "late", "America/New_York");
        emailEndpoint("berlin-late", "late", "Europe/Berlin");
        Instant late = Instant.parse("2026-03-29T21:30:00Z");
        time.set(late);
        String dropping = publish(quiet("late", false).quietTime((software.amazon.awssdk.services.pinpoint.model
                .QuietTime) null));
        at(late);
        assertThat(awaitMail(6)).endsWith("ny-late");
        awaitEqual("E1 of late", () -> activityMetrics(dropping, "E1", "EMAIL"),
                metrics("QUIET_TIME", 1, "SUCCESS", 1));
        at(Instant.parse("2026-03-30T06:00:00Z"));
        assertThat(outbox(dropping)).as("dropped, not held").isEqualTo(1);
        assertSingleRun(dropping, metrics("ENDPOINT_PRODUCED", 2, "ENDPOINT_ENTERED", 2, "ENDPOINT_ACTIVE", 0,
                "ENDPOINT_LEFT", 2));
    }

    /**
     * The SMTP server is down, so the journeys' first emails wait in the outbox to be retried; both journeys are
     * paused (their messages HELD), the SMTP server comes back, one journey is cancelled (its messages WITHDRAWN, its
     * participants CANCELLED) and the other resumed: only the resumed journey's emails arrive, even hours later.
     */
    @Test
    void aPauseHoldsQueuedMessagesThenCancelWithdrawsThemAndResumeSendsThem() throws Exception {
        mail.stop();
        for (String id : List.of("held-1", "held-2")) {
            emailEndpoint(id, "held", "Europe/Berlin");
        }
        for (String id : List.of("kept-1", "kept-2")) {
            emailEndpoint(id, "kept", "Europe/Berlin");
        }
        Map<String, Activity> activities = Map.of("E1", email("W"), "W", waitFor("PT1H", null));
        String cancelled = publish(journey("cancelled", segment("held", "held"), "E1", activities)
                .refreshFrequency("PT24H"));
        String resumed = publish(journey("resumed", segment("kept", "kept"), "E1", activities)
                .refreshFrequency("PT24H"));
        at(T0);
        awaitEqual("outbox of the first journey", () -> states(cancelled), metrics("RETRYING", 2));
        awaitEqual("outbox of the second journey", () -> states(resumed), metrics("RETRYING", 2));

        // Paused while the clock stands still: no retry falls due before the pause is applied.
        setState(cancelled, State.PAUSED);
        setState(resumed, State.PAUSED);
        at(T0);
        assertThat(states(cancelled)).isEqualTo(metrics("HELD", 2));
        assertThat(states(resumed)).isEqualTo(metrics("HELD", 2));

        startMail();
        time.set(T0.plus(Duration.ofMinutes(2)));
        setState(cancelled, State.CANCELLED);
        setState(resumed, State.ACTIVE);
        at(T0.plus(Duration.ofMinutes(2)));
        assertThat(states(cancelled)).isEqualTo(metrics("WITHDRAWN", 2));
        assertThat(journeyMetrics(cancelled)).isEqualTo(metrics("ENDPOINT_PRODUCED", 2, "ENDPOINT_ENTERED", 2,
                "ENDPOINT_ACTIVE", 0, "CANCELLED", 2));

        at(T0.plus(Duration.ofHours(3)));
        assertThat(awaitMail(2)).containsExactlyInAnyOrder("kept-1", "kept-2");
        awaitEqual("outbox of the resumed journey", () -> states(resumed), metrics("DELIVERED", 2));
        assertThat(activityMetrics(resumed, "E1", "EMAIL")).containsEntry("SUCCESS", "2");
        assertThat(activityMetrics(cancelled, "E1", "EMAIL")).doesNotContainKey("SUCCESS");
        assertThat(journeyMetrics(resumed)).containsEntry("ENDPOINT_LEFT", "2").containsEntry("ENDPOINT_ACTIVE", "0");
        pause(500);
        assertThat(mailedTo()).as("nothing of the cancelled journey, ever").containsExactlyInAnyOrder("kept-1",
                "kept-2");
        assertThat(states(cancelled)).isEqualTo(metrics("WITHDRAWN", 2));
    }

    /**
     * An attempt in the SMTP server's hands (SENDING) when the journey is paused cannot be held; when it answers
     * transiently (421), its retry must still wait for the resume: while a journey is PAUSED no message leaves (E4).
     */
    @Test
    void aRetryOfAnAttemptInFlightWhenPausedWaitsForTheResume() throws Exception {
        mail.stop();
        emailEndpoint("inflight", "inflight", "Europe/Berlin");
        String journeyId = publish(journey("inflight", segment("inflight", "inflight"), "E1", Map.of(
                "E1", email("W"), "W", waitFor("PT1H", null))).refreshFrequency("PT24H"));
        CountDownLatch answer = new CountDownLatch(1);
        try (ServerSocket smtp = new ServerSocket(smtpPort, 50, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (Socket connection = smtp.accept()) {
                    answer.await();
                    connection.getOutputStream().write("421 4.3.2 Try again later\r\n".getBytes(
                            StandardCharsets.US_ASCII));
                    connection.getOutputStream().flush();
                } catch (Exception e) {
                    // The test fails on what the outbox does, not here.
                }
            }, "stalling-smtp");
            server.setDaemon(true);
            server.start();
            at(T0);
            awaitEqual("the attempt waiting for the SMTP greeting", () -> states(journeyId), metrics("SENDING", 1));
            setState(journeyId, State.PAUSED);
            at(T0);
            answer.countDown();
            server.join(5_000);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (states(journeyId).containsKey("SENDING") && System.nanoTime() < deadline) {
                pause(50);
            }
        }
        startMail();
        at(T0.plus(Duration.ofMinutes(5)));
        pause(1_000);
        assertThat(mailedTo()).as("emails sent while the journey is PAUSED (outbox: %s)", states(journeyId))
                .isEmpty();
        setState(journeyId, State.ACTIVE);
        at(T0.plus(Duration.ofMinutes(6)));
        // The retry was recorded HELD; released, it waits what was left of its back-off (2 s), then goes once.
        at(T0.plus(Duration.ofMinutes(6)).plusSeconds(10));
        assertThat(awaitMail(1)).containsExactly("inflight");
    }

    /** Group {@code group} → E1 (EMAIL), with QuietTime 22:00-07:00 and WaitForQuietTime {@code hold}. */
    private software.amazon.awssdk.services.pinpoint.model.WriteJourneyRequest.Builder quiet(String group,
                                                                                               boolean hold) {
        return journey(group, segment(group, group), "E1", Map.of("E1", email(null)))
                .quietTime(q -> q.start("22:00").end("07:00")).waitForQuietTime(hold);
    }

    /** Outbox messages of the journey, in any state. */
    private int outbox(String journeyId) throws Exception {
        return outboxStates(journeyId).values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The journey's outbox messages by state, as a metric-like map for comparisons. */
    private Map<String, String> states(String journeyId) {
        try {
            Map<String, String> states = new java.util.TreeMap<>();
            outboxStates(journeyId).forEach((state, count) -> states.put(state, String.valueOf(count)));
            return states;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
