package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.testhelper.ManualScheduler;
import com.github.kagkarlsson.scheduler.testhelper.SettableClock;
import com.github.kagkarlsson.scheduler.testhelper.TestHelper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.waymark.MutableClock;
import dev.waymark.engine.EngineSettings;
import dev.waymark.messaging.DeliverySettings;
import dev.waymark.server.ServerConfig;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.services.pinpoint.model.Activity;
import software.amazon.awssdk.services.pinpoint.model.EndpointRequest;
import software.amazon.awssdk.services.pinpoint.model.JourneyExecutionActivityMetricsResponse;
import software.amazon.awssdk.services.pinpoint.model.JourneyRunResponse;
import software.amazon.awssdk.services.pinpoint.model.State;
import software.amazon.awssdk.services.pinpoint.model.WriteJourneyRequest;

/**
 * The base of the engine tests whose time is in the test's hands: the engine has no threads of its own and the
 * run scheduler is db-scheduler's ManualScheduler, both on one settable clock, so {@link #at} makes exactly what is
 * due at an instant happen. Email goes over real SMTP to an in-process GreenMail (the outbox's senders run in real
 * time, so deliveries and their SUCCESS counts are polled for).
 */
abstract class ManualEngineEndToEndTest extends EndToEndTest {
    /** A Saturday: America/New_York changes to summer time the next day, Europe/Berlin three weeks later. */
    static final Instant T0 = Instant.parse("2026-03-07T12:00:00Z");
    static final String FROM = "journeys@example.com";
    static final String TEMPLATE = "engine-mail";

    SettableClock time;
    ManualScheduler scheduler;
    GreenMail mail;
    int smtpPort;
    String appId;

    @Override
    @BeforeEach
    void startWaymark() throws Exception {
        try (ServerSocket free = new ServerSocket(0)) {
            smtpPort = free.getLocalPort();
        }
        startMail();
        time = new SettableClock();
        time.set(T0);
        DeliverySettings delivery = new DeliverySettings(Optional.of(URI.create("smtp://127.0.0.1:" + smtpPort)),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, Optional.empty(),
                Duration.ofSeconds(10));
        AtomicReference<ManualScheduler> built = new AtomicReference<>();
        waymark = WaymarkTestServer.start(TestDatabases.configure(ServerConfig.defaults(dataDir, 0), store)
                        .withEngine(EngineSettings.manual()).withMinRefreshFrequency(Duration.ofMinutes(1))
                        .withDelivery(delivery),
                MutableClock.reading(time::now),
                (dataSource, runs) -> {
                    built.set(TestHelper.createManualScheduler(dataSource, runs.journeyTask()).clock(time)
                            .startTasks(List.of(runs.sweepTask())).build());
                    return built.get();
                });
        scheduler = built.get();
        client = waymark.client();
        appId = createApp("engine");
        client.updateEmailChannel(r -> r.applicationId(appId).emailChannelRequest(c -> c.fromAddress(FROM)
                .identity("arn:aws:ses:us-east-1:000000000000:identity/example.com").enabled(true)));
        client.createEmailTemplate(r -> r.templateName(TEMPLATE).emailTemplateRequest(t -> t
                .subject("For {{Id}}").htmlPart("<p>Hello {{Id}}</p>").textPart("Hello {{Id}}")));
    }

    /** GreenMail on {@link #smtpPort}, the port Waymark sends to (a test may stop it to make sends fail). */
    void startMail() {
        mail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
    }

    @Override
    @AfterEach
    void stopWaymark() {
        waymark.close();
        mail.stop();
    }

    /** Sets the clock to {@code instant} and does everything due then: journey states, runs, entries, moves. */
    void at(Instant instant) {
        assertThat(instant).as("the test's clock only moves forward").isAfterOrEqualTo(time.now());
        time.set(instant);
        for (int i = 0; i < 3; i++) {
            waymark.server().engine().settle();
            scheduler.runAnyDueExecutions();
        }
        waymark.server().engine().settle();
    }

    /** An endpoint made with UpdateEndpoint; {@code id} is also its EMAIL address's local part when it has one. */
    void endpoint(String id, java.util.function.Consumer<EndpointRequest.Builder> request) {
        client.updateEndpoint(r -> r.applicationId(appId).endpointId(id).endpointRequest(e -> {
            e.channelType("EMAIL").address(id + "@example.com");
            request.accept(e);
        }));
    }

    /** An endpoint with an EMAIL address and attribute {@code group} = {@code group}, in {@code timezone}. */
    void emailEndpoint(String id, String group, String timezone) {
        endpoint(id, e -> e.attributes(Map.of("group", List.of(group))).demographic(d -> d.timezone(timezone)));
    }

    /** A segment of the app's endpoints whose attribute {@code group} is one of {@code groups}; its id. */
    String segment(String name, String... groups) {
        return client.createSegment(r -> r.applicationId(appId).writeSegmentRequest(s -> s.name(name)
                .dimensions(d -> d.attributes(Map.of("group", software.amazon.awssdk.services.pinpoint.model
                        .AttributeDimension.builder().attributeType("INCLUSIVE").values(groups).build())))))
                .segmentResponse().id();
    }

    /** A journey entered from {@code segmentId}, starting at {@code start}, with these activities. */
    static WriteJourneyRequest.Builder journey(String name, String segmentId, String start,
                                               Map<String, Activity> activities) {
        return WriteJourneyRequest.builder().name(name).startActivity(start).activities(activities)
                .startCondition(s -> s.segmentStartCondition(c -> c.segmentId(segmentId)));
    }

    static Activity email(String next) {
        return Activity.builder().email(e -> e.templateName(TEMPLATE).nextActivity(next)).build();
    }

    static Activity waitFor(String duration, String next) {
        return Activity.builder().waitValue(w -> w.waitTime(t -> t.waitFor(duration)).nextActivity(next)).build();
    }

    /** Creates the journey and publishes it with UpdateJourneyState at the clock's time; its id. */
    String publish(WriteJourneyRequest.Builder journey) {
        String id = client.createJourney(r -> r.applicationId(appId).writeJourneyRequest(journey.build()))
                .journeyResponse().id();
        setState(id, State.ACTIVE);
        return id;
    }

    void setState(String journeyId, State state) {
        client.updateJourneyState(r -> r.applicationId(appId).journeyId(journeyId)
                .journeyStateRequest(s -> s.state(state)));
    }

    State state(String journeyId) {
        return client.getJourney(r -> r.applicationId(appId).journeyId(journeyId)).journeyResponse().state();
    }

    List<JourneyRunResponse> runs(String journeyId) {
        return client.getJourneyRuns(r -> r.applicationId(appId).journeyId(journeyId).pageSize("100"))
                .journeyRunsResponse().item();
    }

    Map<String, String> journeyMetrics(String journeyId) {
        return client.getJourneyExecutionMetrics(r -> r.applicationId(appId).journeyId(journeyId))
                .journeyExecutionMetricsResponse().metrics();
    }

    Map<String, String> runMetrics(String journeyId, String runId) {
        return client.getJourneyRunExecutionMetrics(r -> r.applicationId(appId).journeyId(journeyId).runId(runId))
                .journeyRunExecutionMetricsResponse().metrics();
    }

    /** The activity's metrics over every run; its ActivityType must be {@code type}. */
    Map<String, String> activityMetrics(String journeyId, String activityId, String type) {
        JourneyExecutionActivityMetricsResponse response = client.getJourneyExecutionActivityMetrics(r -> r
                .applicationId(appId).journeyId(journeyId).journeyActivityId(activityId))
                .journeyExecutionActivityMetricsResponse();
        assertThat(response.activityType()).as("ActivityType of %s", activityId).isEqualTo(type);
        return response.metrics();
    }

    Map<String, String> runActivityMetrics(String journeyId, String runId, String activityId) {
        return client.getJourneyRunExecutionActivityMetrics(r -> r.applicationId(appId).journeyId(journeyId)
                .runId(runId).journeyActivityId(activityId)).journeyRunExecutionActivityMetricsResponse().metrics();
    }

    /**
     * The journey's only run's metrics equal {@code expected}, and so do the journey's (its sums over runs).
     */
    void assertSingleRun(String journeyId, Map<String, String> expected) {
        List<JourneyRunResponse> runs = runs(journeyId);
        assertThat(runs).as("runs of %s", journeyId).hasSize(1);
        assertThat(runMetrics(journeyId, runs.get(0).runId())).as("run metrics").isEqualTo(expected);
        assertThat(journeyMetrics(journeyId)).as("journey metrics").isEqualTo(expected);
    }

    /** A metric map from key, count pairs: counts are written as decimal strings. */
    static Map<String, String> metrics(Object... keysAndCounts) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndCounts.length; i += 2) {
            map.put((String) keysAndCounts[i], String.valueOf(keysAndCounts[i + 1]));
        }
        return map;
    }

    /** Counts with the zero ones left out (a key never counted is absent). */
    static Map<String, String> nonZero(Map<String, Integer> counts) {
        Map<String, String> map = new LinkedHashMap<>();
        counts.forEach((key, count) -> {
            if (count != 0) {
                map.put(key, String.valueOf(count));
            }
        });
        return map;
    }

    /** Polls (in real time: the outbox's senders are real threads) until {@code read} equals {@code expected}. */
    static void awaitEqual(String what, Supplier<Map<String, String>> read, Map<String, String> expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Map<String, String> last = read.get();
        while (!expected.equals(last) && System.nanoTime() < deadline) {
            pause(50);
            last = read.get();
        }
        assertThat(last).as(what).isEqualTo(expected);
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The local parts of the recipients of every email GreenMail received, in arrival order. */
    List<String> mailedTo() {
        List<String> to = new ArrayList<>();
        for (MimeMessage message : mail.getReceivedMessages()) {
            try {
                String address = message.getAllRecipients()[0].toString();
                to.add(address.substring(0, address.indexOf('@')));
            } catch (jakarta.mail.MessagingException e) {
                throw new AssertionError(e);
            }
        }
        return to;
    }

    /** Waits until GreenMail has {@code count} emails (fails after 20 s); their recipients' local parts. */
    List<String> awaitMail(int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (mail.getReceivedMessages().length < count && System.nanoTime() < deadline) {
            pause(50);
        }
        assertThat(mail.getReceivedMessages()).as("emails received").hasSize(count);
        return mailedTo();
    }

    /** How many outbox messages of the journey are in each state (QUEUED, RETRYING, HELD, WITHDRAWN, ...). */
    Map<String, Integer> outboxStates(String journeyId) throws Exception {
        Map<String, Integer> states = new HashMap<>();
        try (Connection db = DriverManager.getConnection(waymark.jdbcUrl());
             PreparedStatement query = db.prepareStatement(
                     "SELECT state, COUNT(*) FROM outbox WHERE journey_id = ? GROUP BY state")) {
            query.setString(1, journeyId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    states.put(rows.getString(1), rows.getInt(2));
                }
            }
        }
        return states;
    }
}
