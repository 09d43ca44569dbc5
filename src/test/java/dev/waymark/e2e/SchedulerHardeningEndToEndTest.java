package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.waymark.CapturedLogs;
import dev.waymark.server.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.pinpoint.model.Activity;
import software.amazon.awssdk.services.pinpoint.model.BadRequestException;
import software.amazon.awssdk.services.pinpoint.model.JourneyResponse;
import software.amazon.awssdk.services.pinpoint.model.JourneySchedule;
import software.amazon.awssdk.services.pinpoint.model.WaitActivity;
import software.amazon.awssdk.services.pinpoint.model.WriteJourneyRequest;

/** A journey can neither wedge the scheduler nor break a listing, whatever a client sends or the store holds. */
class SchedulerHardeningEndToEndTest extends EndToEndTest {
    @RegisterExtension
    final CapturedLogs logs = new CapturedLogs();


    @Test
    void refreshFrequencyBeyondTheLongestJourneyIsRefusedNamingTheBound() {
        String app = createApp("bounds");
        for (String frequency : new String[] {"PT10000000000000000S", "P999999999999D", "P1000000W"}) {
            assertThatThrownBy(() -> client.createJourney(r -> r.applicationId(app).writeJourneyRequest(
                    SampleJourneys.simple("refresh").toBuilder().refreshFrequency(frequency).state("ACTIVE").build())))
                    .isInstanceOf(BadRequestException.class)
                    .hasMessageContaining("RefreshFrequency must be at most P540D (540 days, the longest a journey "
                            + "lasts), not '" + frequency + "'");
        }
    }

    @Test
    void dateTimesOutside1970To9999AreRefusedNamingTheMember() {
        String app = createApp("times");
        for (Instant time : new Instant[] {Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("+999999999-12-31T23:59:59Z"), Instant.parse("1969-12-31T23:59:59Z")}) {
            assertThatThrownBy(() -> client.createJourney(r -> r.applicationId(app).writeJourneyRequest(
                    SampleJourneys.simple("when").toBuilder()
                            .schedule(JourneySchedule.builder().startTime(time).build()).build())))
                    .isInstanceOf(BadRequestException.class)
                    .hasMessageContaining("Schedule.StartTime must be a date-time from 1970-01-01T00:00:00Z to "
                            + "9999-12-31T23:59:59.999Z");
        }
        assertThatThrownBy(() -> client.createJourney(r -> r.applicationId(app).writeJourneyRequest(
                waiting("until", null, "+10000-01-01T00:00:00Z"))))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("Activities.pause.Wait.WaitTime.WaitUntil must be a date-time from 1970");
    }

    @Test
    void unreadableWaitsAreRefusedWhenPublishing() {
        String app = createApp("waits");
        WriteJourneyRequest forever = waiting("forever", "forever", null);
        // A draft may be incomplete; publishing it may not.
        String draft = client.createJourney(r -> r.applicationId(app).writeJourneyRequest(forever))
                .journeyResponse().id();
        assertThatThrownBy(() -> client.createJourney(r -> r.applicationId(app).writeJourneyRequest(
                forever.toBuilder().state("ACTIVE").build())))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("Activities.pause.Wait.WaitTime.WaitFor must be an ISO 8601 duration");
        assertThatThrownBy(() -> client.updateJourneyState(r -> r.applicationId(app).journeyId(draft)
                .journeyStateRequest(s -> s.state("ACTIVE"))))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("Activities.pause.Wait.WaitTime.WaitFor must be an ISO 8601 duration");
        assertThatThrownBy(() -> client.createJourney(r -> r.applicationId(app).writeJourneyRequest(
                waiting("soon", null, "someday").toBuilder().state("ACTIVE").build())))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("Activities.pause.Wait.WaitTime.WaitUntil must be an ISO 8601 date-time");
    }

    @Test
    void draftsAreHeldToTheActivityAndSizeCaps() {
        String app = createApp("drafts");
        Map<String, Activity> many = new HashMap<>();
        for (int i = 0; i < 41; i++) {
            many.put("a" + i, Activity.builder().description("step").build());
        }
        assertThatThrownBy(() -> client.createJourney(r -> r.applicationId(app).writeJourneyRequest(
                WriteJourneyRequest.builder().name("many").activities(many).build())))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("at most 40 activities, this one has 41");
        assertThatThrownBy(() -> client.createJourney(r -> r.applicationId(app).writeJourneyRequest(
                big("huge", 600 * 1024))))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("can take at most 524288 bytes");
    }

    @Test
    void aListingPageEndsEarlyPastItsByteBudgetAndTheWalkSeesEveryJourneyOnce() throws Exception {
        String app = createApp("budget");
        Map<String, Boolean> created = new HashMap<>();
        for (int i = 0; i < 7; i++) {
            created.put(client.createJourney(r -> r.applicationId(app).writeJourneyRequest(big("big", 400 * 1024)))
                    .journeyResponse().id(), false);
        }
        String token = null;
        int pages = 0;
        do {
            String after = token;
            var page = client.listJourneys(r -> r.applicationId(app).pageSize("100").token(after)).journeysResponse();
            pages++;
            assertThat(page.item().size()).isLessThanOrEqualTo(3);
            for (JourneyResponse journey : page.item()) {
                assertThat(created.put(journey.id(), true)).as("listed once").isFalse();
            }
            token = page.nextToken();
        } while (token != null);
        assertThat(created).allSatisfy((id, seen) -> assertThat(seen).isTrue());
        assertThat(pages).isGreaterThanOrEqualTo(3);
    }

    @Test
    void anUnreadableStoredJourneyIsListedAndParkedAndHealthSaysDegraded() throws Exception {
        waymark.close();
        ServerConfig base = TestDatabases.configure(ServerConfig.defaults(dataDir, 0), store);
        ServerConfig config = new ServerConfig(base.bind(), base.port(), base.store(), base.region(),
                base.accountId(), base.maxBodyBytes(), base.maxActivities(), base.minRefreshFrequency(),
                base.scheduler().withRetries(Duration.ofMillis(50), Duration.ofMillis(200), 3), base.security(),
                base.runPageCacheBytes(), base.jobs());
        waymark = WaymarkTestServer.start(config);
        client = waymark.client();
        String app = createApp("poisoned");
        Instant soon = Instant.now().plusSeconds(2);
        WriteJourneyRequest refreshing = SampleJourneys.simple("poisoned").toBuilder().state("ACTIVE")
                .refreshFrequency("PT1H").schedule(JourneySchedule.builder().startTime(soon).build()).build();
        String notJson = client.createJourney(r -> r.applicationId(app).writeJourneyRequest(refreshing))
                .journeyResponse().id();
        String tooLong = client.createJourney(r -> r.applicationId(app).writeJourneyRequest(refreshing))
                .journeyResponse().id();
        String healthy = client.createJourney(r -> r.applicationId(app).writeJourneyRequest(refreshing))
                .journeyResponse().id();
        try (Connection db = DriverManager.getConnection(waymark.jdbcUrl());
             PreparedStatement corrupt = db.prepareStatement("UPDATE journeys SET definition = ? WHERE id = ?")) {
            corrupt.setString(1, "not json");
            corrupt.setString(2, notJson);
            assertThat(corrupt.executeUpdate()).isEqualTo(1);
            // Stored by an older Waymark or an import: passes no request validation of today.
            corrupt.setString(1, "{\"Name\":\"old\",\"StartActivity\":\"send\",\"RefreshFrequency\":"
                    + "\"PT10000000000000000S\",\"StartCondition\":{\"SegmentStartCondition\":{\"SegmentId\":\"s\"}},"
                    + "\"Activities\":{\"send\":{\"EMAIL\":{\"TemplateName\":\"t\"}}}}");
            corrupt.setString(2, tooLong);
            assertThat(corrupt.executeUpdate()).isEqualTo(1);
        }

        var listed = client.listJourneys(r -> r.applicationId(app)).journeysResponse().item();
        assertThat(listed).extracting(JourneyResponse::id).containsExactly(notJson, tooLong, healthy);
        assertThat(listed.get(0).stateAsString()).isEqualTo("ACTIVE");
        assertThat(listed.get(0).name()).isEqualTo("poisoned");

        String health = awaitHealth("\"parkedJourneys\":\"2\"");
        // What an operator reads: each bad journey listed without its definition, its failures, and one line when
        // it is parked.
        logs.expect(Level.WARN, "dev.waymark.journeys.JourneysApi", "is listed without its definition");
        logs.expect(Level.WARN, "dev.waymark.runs.RunScheduler", "Could not plan the runs of journey " + notJson);
        logs.expect(Level.ERROR, "dev.waymark.runs.RunScheduler", "Parked journey " + notJson);
        logs.expect(Level.ERROR, "dev.waymark.runs.RunScheduler", "Parked journey " + tooLong);
        logs.allow("dev.waymark.runs.RunScheduler");
        logs.allow("dev.waymark.journeys.JourneysApi");
        assertThat(health).isEqualTo("{\"status\":\"degraded\",\"store\":\"ok\",\"scheduler\":\"degraded\","
                + "\"parkedJourneys\":\"2\"}");
        String metrics = get("/metrics").body();
        assertThat(value(metrics, "waymark_scheduler_parked_journeys")).isEqualTo(2);
        assertThat(value(metrics, "waymark_scheduler_planning_failures_total")).isGreaterThanOrEqualTo(6);
        // The healthy journey of the same app went on.
        for (int i = 0; i < 100 && !runStatuses(app, healthy).contains("COMPLETED"); i++) {
            Thread.sleep(100);
        }
        assertThat(runStatuses(app, healthy)).contains("COMPLETED");

        // Cancelling needs no definition: it unparks the journey and its scheduled run is cancelled.
        client.updateJourneyState(r -> r.applicationId(app).journeyId(notJson).journeyStateRequest(s -> s.state("CANCELLED")));
        client.deleteJourney(r -> r.applicationId(app).journeyId(tooLong));
        assertThat(awaitHealth("\"status\":\"ok\"")).isEqualTo("{\"status\":\"ok\",\"store\":\"ok\",\"scheduler\":\"ok\"}");
        assertThat(runStatuses(app, notJson)).containsExactly("CANCELLED");
        // The engine reads the journey's plan too (when it first sees it, and again at each change of its state):
        // one line each time.
        logs.expect(Level.WARN, "dev.waymark.engine.PlanCache", "Journey " + notJson
                + ": its definition cannot be executed: Journey " + notJson + " cannot be executed: the definition is "
                + "not valid JSON");
        logs.allow("dev.waymark.engine.PlanCache");
    }

    private java.util.List<String> runStatuses(String app, String journey) {
        return RunPages.walk(client, app, journey, null).stream().flatMap(page -> page.item().stream())
                .map(run -> run.statusAsString()).toList();
    }

    private String awaitHealth(String expected) throws Exception {
        String body = "";
        for (long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos(); System.nanoTime() < deadline; ) {
            HttpResponse<String> health = get("/health");
            assertThat(health.statusCode()).isEqualTo(200);
            body = health.body();
            if (body.contains(expected)) {
                return body;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("/health never contained " + expected + "; last: " + body);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(waymark.server().url() + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double value(String scrape, String sample) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(scrape);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    private static WriteJourneyRequest waiting(String name, String waitFor, String waitUntil) {
        return SampleJourneys.simple(name).toBuilder().startActivity("pause")
                .activities(Map.of("pause", Activity.builder().waitValue(WaitActivity.builder()
                        .waitTime(w -> w.waitFor(waitFor).waitUntil(waitUntil)).nextActivity("send").build()).build(),
                        "send", SampleJourneys.simple(name).activities().get("send")))
                .build();
    }

    /** A draft that takes about {@code bytes} as JSON, in one activity's description. */
    private static WriteJourneyRequest big(String name, int bytes) {
        return WriteJourneyRequest.builder().name(name)
                .activities(Map.of("a", Activity.builder().description("x".repeat(bytes)).build())).build();
    }
}
