package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.waymark.audience.EventRecord;
import dev.waymark.engine.ChoiceRules;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.pinpoint.model.Activity;
import software.amazon.awssdk.services.pinpoint.model.AttributeDimension;
import software.amazon.awssdk.services.pinpoint.model.ChannelType;
import software.amazon.awssdk.services.pinpoint.model.Condition;
import software.amazon.awssdk.services.pinpoint.model.ConditionalSplitActivity;
import software.amazon.awssdk.services.pinpoint.model.ContactCenterActivity;
import software.amazon.awssdk.services.pinpoint.model.CustomMessageActivity;
import software.amazon.awssdk.services.pinpoint.model.EmailMessageActivity;
import software.amazon.awssdk.services.pinpoint.model.EndpointBatchItem;
import software.amazon.awssdk.services.pinpoint.model.EventCondition;
import software.amazon.awssdk.services.pinpoint.model.EventDimensions;
import software.amazon.awssdk.services.pinpoint.model.HoldoutActivity;
import software.amazon.awssdk.services.pinpoint.model.MultiConditionalBranch;
import software.amazon.awssdk.services.pinpoint.model.MultiConditionalSplitActivity;
import software.amazon.awssdk.services.pinpoint.model.RandomSplitActivity;
import software.amazon.awssdk.services.pinpoint.model.RandomSplitEntry;
import software.amazon.awssdk.services.pinpoint.model.SMSMessageActivity;
import software.amazon.awssdk.services.pinpoint.model.SegmentCondition;
import software.amazon.awssdk.services.pinpoint.model.SegmentDimensions;
import software.amazon.awssdk.services.pinpoint.model.SetDimension;
import software.amazon.awssdk.services.pinpoint.model.SimpleCondition;
import software.amazon.awssdk.services.pinpoint.model.StartCondition;
import software.amazon.awssdk.services.pinpoint.model.State;
import software.amazon.awssdk.services.pinpoint.model.WaitActivity;
import software.amazon.awssdk.services.pinpoint.model.WaitTime;
import software.amazon.awssdk.services.pinpoint.model.WriteJourneyRequest;

/**
 * The journey engine end to end (issue 18, and issue 19's exact metrics): a segment-started journey over a known
 * audience of a few hundred endpoints, every delivery checked against who should get what (GreenMail, the SMS
 * webhook, the CUSTOM receiver), opens made through the tracking pixel steering a MultiCondition, and every metric
 * map (journey, run, each activity, at journey and run level) equal to the counts the test computes.
 */
class JourneyEngineEndToEndTest extends EngineEndToEndTest {
    private static final int AUDIENCE = 240;
    /** How long a participant's MultiCondition waits for opens: the test opens emails as soon as they arrive. */
    private static final String EVALUATION_WAIT = "PT8S";

    /** One endpoint of the audience as the test wrote it; its entry-filter refusal in engine.md E1's order. */
    private record Member(int index, String id, boolean email, boolean gold, boolean optOut, boolean inactive,
                          boolean noAddress) {
        String address() {
            return email ? "user" + index + "@example.com" : String.format(Locale.ROOT, "+1206555%04d", index);
        }

        String refusal() {
            return optOut ? "ENDPOINT_OPT_OUT" : inactive ? "ENDPOINT_INACTIVE" : noAddress ? "ENDPOINT_MISSING_ADDRESS"
                    : null;
        }

        boolean enters() {
            return refusal() == null;
        }

        /** The test opens the email of every other gold EMAIL endpoint, and clicks in a third of those. */
        boolean opens() {
            return email && gold && index % 4 == 2;
        }

        boolean clicks() {
            return opens() && index % 12 == 2;
        }
    }

    private static List<Member> audience(String prefix, int size) {
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            // Residues of co-prime moduli, so every combination of channel, plan and refusal occurs.
            members.add(new Member(i, prefix + i, i % 2 == 0, i % 3 != 0, i % 11 == 5, i % 13 == 6, i % 17 == 8));
        }
        return members;
    }

    private void write(String app, List<Member> members) {
        for (int from = 0; from < members.size(); from += 100) {
            List<EndpointBatchItem> items = members.subList(from, Math.min(members.size(), from + 100)).stream()
                    .map(m -> EndpointBatchItem.builder().id(m.id())
                            .channelType(m.email() ? ChannelType.EMAIL : ChannelType.SMS)
                            .address(m.noAddress() ? null : m.address())
                            .attributes(Map.of("plan", List.of(m.gold() ? "gold" : "basic")))
                            .optOut(m.optOut() ? "ALL" : "NONE")
                            .endpointStatus(m.inactive() ? "INACTIVE" : "ACTIVE").build())
                    .toList();
            client.updateEndpointsBatch(r -> r.applicationId(app).endpointBatchRequest(b -> b.item(items)));
        }
    }

    private static long count(List<Member> members, Predicate<Member> which) {
        return members.stream().filter(which).count();
    }

    private static Activity waitFor(String duration, String next) {
        return Activity.builder().waitValue(WaitActivity.builder().waitTime(WaitTime.builder().waitFor(duration).build())
                .nextActivity(next).build()).build();
    }

    /** Wait 2 s → gold? → EMAIL | SMS → opened the EMAIL activity's message? (after 8 s) → CUSTOM | leave. */
    private WriteJourneyRequest journey(String segment) {
        SimpleCondition gold = SimpleCondition.builder().segmentDimensions(SegmentDimensions.builder()
                .attributes(Map.of("plan", AttributeDimension.builder().attributeType("INCLUSIVE").values("gold")
                        .build())).build()).build();
        SimpleCondition opened = SimpleCondition.builder().eventCondition(EventCondition.builder()
                .messageActivity("email").dimensions(EventDimensions.builder().eventType(SetDimension.builder()
                        .dimensionType("INCLUSIVE").values("_email.open").build()).build()).build()).build();
        return WriteJourneyRequest.builder().name("engine-" + store).startActivity("wait")
                .startCondition(StartCondition.builder().segmentStartCondition(SegmentCondition.builder()
                        .segmentId(segment).build()).build())
                .activities(Map.of(
                        "wait", waitFor("PT2S", "split"),
                        "split", Activity.builder().conditionalSplit(ConditionalSplitActivity.builder()
                                .condition(Condition.builder().operator("ALL").conditions(gold).build())
                                .trueActivity("email").falseActivity("sms").build()).build(),
                        "email", Activity.builder().email(EmailMessageActivity.builder().templateName(EMAIL_TEMPLATE)
                                .nextActivity("multi").build()).build(),
                        "sms", Activity.builder().sms(SMSMessageActivity.builder().templateName(SMS_TEMPLATE)
                                .nextActivity("multi").build()).build(),
                        "multi", Activity.builder().multiCondition(MultiConditionalSplitActivity.builder()
                                .branches(MultiConditionalBranch.builder().condition(opened).nextActivity("custom")
                                        .build())
                                .evaluationWaitTime(WaitTime.builder().waitFor(EVALUATION_WAIT).build()).build())
                                .build(),
                        "custom", Activity.builder().custom(CustomMessageActivity.builder().deliveryUri(customUri())
                                .endpointTypesWithStrings("EMAIL").messageConfig(m -> m.data("{\"offer\":\"opened\"}"))
                                .build()).build()))
                .build();
    }

    @Test
    void everyEndpointGetsExactlyWhatItsPathPromisesAndEveryCounterAddsUp() throws Exception {
        String app = appWithChannels("engine");
        List<Member> members = audience("ep-", AUDIENCE);
        write(app, members);
        String journey = publish(app, journey(everyone(app)));
        String run = firstRun(app, journey);

        List<Member> entered = members.stream().filter(Member::enters).toList();
        Map<String, Member> byAddress = entered.stream().collect(Collectors.toMap(Member::address, m -> m));
        Set<String> mailed = entered.stream().filter(m -> m.email() && m.gold()).map(Member::address)
                .collect(Collectors.toSet());
        Set<String> opened = entered.stream().filter(Member::opens).map(Member::id).collect(Collectors.toSet());
        Set<String> clicked = entered.stream().filter(Member::clicks).map(Member::id).collect(Collectors.toSet());
        assertThat(mailed).hasSizeGreaterThan(20);
        assertThat(opened).hasSizeGreaterThan(10).hasSizeLessThan(mailed.size());
        assertThat(clicked).isNotEmpty();

        // Open (and click in) each chosen email as soon as it arrives: well inside its participant's 8 s evaluation
        // wait, which began when the message was handed to the outbox, before it reached GreenMail.
        Set<String> seen = new HashSet<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (seen.size() < mailed.size() && System.nanoTime() < deadline) {
            for (MimeMessage message : emails()) {
                String to = recipient(message);
                if (!seen.add(message.getMessageID())) {
                    continue;
                }
                Member member = byAddress.get(to);
                if (member != null && member.opens()) {
                    String html = part(message, "text/html");
                    List<String> pixel = tracked(html, "o");
                    assertThat(pixel).as("the open pixel of " + to).hasSize(1);
                    assertThat(get(pixel.get(0)).statusCode()).isEqualTo(200);
                    if (member.clicks()) {
                        HttpResponse<byte[]> click = get(tracked(html, "c").get(0));
                        assertThat(click.statusCode()).isEqualTo(302);
                        assertThat(click.headers().firstValue("Location")).contains("https://example.com/offer");
                    }
                }
            }
            Thread.sleep(50);
        }

        awaitState(app, journey, State.COMPLETED, Duration.ofSeconds(40));
        assertThat(runs(app, journey)).singleElement().satisfies(r -> assertThat(r.statusAsString())
                .isEqualTo("COMPLETED"));

        Map<String, Long> entry = new LinkedHashMap<>();
        entry.put("ENDPOINT_PRODUCED", (long) AUDIENCE);
        entry.put("ENDPOINT_ENTERED", (long) entered.size());
        entry.put("ENDPOINT_LEFT", (long) entered.size());
        entry.put("ENDPOINT_ACTIVE", 0L);
        for (String refusal : List.of("ENDPOINT_OPT_OUT", "ENDPOINT_INACTIVE", "ENDPOINT_MISSING_ADDRESS")) {
            entry.put(refusal, count(members, m -> refusal.equals(m.refusal())));
        }
        assertThat(entry.get("ENDPOINT_OPT_OUT") * entry.get("ENDPOINT_INACTIVE") * entry.get("ENDPOINT_MISSING_ADDRESS"))
                .isPositive();
        Map<String, String> runFigures = expected(entry, "ENDPOINT_ACTIVE");
        awaitEqual("the run's metrics", Duration.ofSeconds(10), () -> runMetrics(app, journey, run), runFigures);
        awaitEqual("the journey's metrics", Duration.ofSeconds(10), () -> journeyMetrics(app, journey), runFigures);

        Map<String, Map<String, String>> activities = new LinkedHashMap<>();
        activities.put("wait", expected(Map.of("COMPLETED", (long) entered.size())));
        activities.put("split", expected(Map.of("Branch_1", count(entered, Member::gold),
                "Branch_2", count(entered, m -> !m.gold()))));
        activities.put("email", expected(Map.of("SUCCESS", count(entered, m -> m.gold() && m.email()),
                "UNSUPPORTED_CHANNEL", count(entered, m -> m.gold() && !m.email()))));
        activities.put("sms", expected(Map.of("SUCCESS", count(entered, m -> !m.gold() && !m.email()),
                "UNSUPPORTED_CHANNEL", count(entered, m -> !m.gold() && m.email()))));
        activities.put("multi", expected(Map.of("Branch_1", (long) opened.size(),
                "Branch_2", (long) (entered.size() - opened.size()))));
        activities.put("custom", expected(Map.of("SUCCESS", (long) opened.size())));
        for (Map.Entry<String, Map<String, String>> activity : activities.entrySet()) {
            awaitEqual("the metrics of " + activity.getKey(), Duration.ofSeconds(10),
                    () -> activityMetrics(app, journey, activity.getKey()), activity.getValue());
            assertThat(runActivityMetrics(app, journey, run, activity.getKey())).as("run metrics of " + activity.getKey())
                    .containsExactlyInAnyOrderEntriesOf(activity.getValue());
        }

        // SUCCESS is counted once the provider took the message: every delivery has been made by now.
        checkEmails(journey, byAddress, mailed);
        checkSms(journey, entered);
        checkCustom(journey, opened);
        checkSendLog(app, journey, entered);

        // Issue 19: the opens and clicks made through the tracking URLs move the journey's KPIs.
        assertThat(journeyKpi(app, journey, "journey-emails-sent")).isEqualTo(mailed.size() + ".0");
        assertThat(journeyKpi(app, journey, "journey-emails-opened")).isEqualTo(opened.size() + ".0");
        assertThat(journeyKpi(app, journey, "journey-emails-clicked")).isEqualTo(clicked.size() + ".0");
        var perActivity = client.getJourneyDateRangeKpi(r -> r.applicationId(app).journeyId(journey)
                .kpiName("emails-opened-grouped-by-journey-activity")).journeyDateRangeKpiResponse().kpiResult().rows();
        assertThat(perActivity).singleElement().satisfies(row -> {
            assertThat(row.groupedBys().get(0).value()).isEqualTo("email");
            assertThat(row.values().get(0).value()).isEqualTo(opened.size() + ".0");
        });

        // Nothing more leaves once the journey is over.
        int emails = emails().size();
        int sms = smsHooks.size();
        int custom = customHooks.size();
        Thread.sleep(1500);
        assertThat(emails()).hasSize(emails);
        assertThat(smsHooks).hasSize(sms);
        assertThat(customHooks).hasSize(custom);
    }

    /** A first entry's message key (engine.md E3): journey/endpoint id lower-cased/entry/activity. */
    private static String messageKey(String journey, String endpoint, String activity) {
        return journey + "/" + endpoint.toLowerCase(Locale.ROOT) + "/1/" + activity;
    }

    /** One email per gold EMAIL participant, none to anyone else, each with its own Message-ID. */
    private void checkEmails(String journey, Map<String, Member> byAddress, Set<String> mailed) throws Exception {
        List<MimeMessage> received = emails();
        assertThat(received).extracting(EngineEndToEndTest::recipient).containsExactlyInAnyOrderElementsOf(mailed);
        Set<String> ids = new HashSet<>();
        for (MimeMessage message : received) {
            // Made from the idempotency key, '/' written =2F (README "Delivery"): stable across attempts.
            String key = messageKey(journey, byAddress.get(recipient(message)).id(), "email");
            assertThat(message.getMessageID()).isEqualTo("<" + key.replace("/", "=2F") + "@waymark>");
            assertThat(message.getSubject()).isEqualTo("Hello gold");
            assertThat(message.getFrom()[0].toString()).contains(FROM);
            assertThat(message.getMessageID()).isNotBlank();
            ids.add(message.getMessageID());
        }
        assertThat(ids).as("Message-IDs (one per message)").hasSize(received.size());
    }

    /** One SMS per basic SMS participant, from the journey's sms activity, each with its own Idempotency-Key. */
    private void checkSms(String journey, List<Member> entered) {
        Map<String, Member> expected = entered.stream().filter(m -> !m.email() && !m.gold())
                .collect(Collectors.toMap(Member::id, m -> m));
        List<String> endpoints = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (Hook hook : smsHooks) {
            JsonNode body = hook.json();
            String endpoint = body.path("EndpointId").asText();
            endpoints.add(endpoint);
            assertThat(body.path("Channel").asText()).isEqualTo("SMS");
            assertThat(body.path("JourneyId").asText()).isEqualTo(journey);
            assertThat(body.path("ActivityId").asText()).isEqualTo("sms");
            assertThat(body.path("Message").path("Body").asText()).isEqualTo("Plan basic for " + endpoint);
            Member member = expected.get(endpoint);
            assertThat(member).as("an SMS to " + endpoint).isNotNull();
            assertThat(body.path("Address").asText()).isEqualTo(member.address());
            // The key is (journey, endpoint, entry, activity): the same on any repeat of this message.
            assertThat(hook.header("Idempotency-Key")).isEqualTo(messageKey(journey, endpoint, "sms"));
            keys.add(hook.header("Idempotency-Key"));
        }
        assertThat(endpoints).containsExactlyInAnyOrderElementsOf(expected.keySet());
        assertThat(keys).as("Idempotency-Keys (one per message)").hasSize(smsHooks.size());
    }

    /** The CUSTOM receiver got every participant who opened its email, once, and nobody else. */
    private void checkCustom(String journey, Set<String> opened) {
        List<String> endpoints = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (Hook hook : customHooks) {
            JsonNode body = hook.json();
            assertThat(body.path("JourneyId").asText()).isEqualTo(journey);
            assertThat(body.path("ActivityId").asText()).isEqualTo("custom");
            assertThat(body.path("Data").asText()).isEqualTo("{\"offer\":\"opened\"}");
            List<String> called = new ArrayList<>();
            body.path("Endpoints").fieldNames().forEachRemaining(called::add);
            assertThat(called).as("endpoints of one CUSTOM call (one message per participant)").hasSize(1);
            endpoints.addAll(called);
            assertThat(hook.header("Idempotency-Key")).isEqualTo(body.path("IdempotencyKey").asText())
                    .isEqualTo(messageKey(journey, called.get(0), "custom"));
            keys.add(hook.header("Idempotency-Key"));
        }
        assertThat(endpoints).containsExactlyInAnyOrderElementsOf(opened);
        assertThat(keys).as("Idempotency-Keys (one per call)").hasSize(customHooks.size());
    }

    /**
     * engine.md E6: one {@code _journey.send} record per message activity a participant passed, with the activity and
     * the status its counter has: the event log and the metrics agree participant by participant.
     */
    private void checkSendLog(String app, String journey, List<Member> entered) {
        Map<String, List<String>> logged = new HashMap<>();
        for (EventRecord record : waymark.server().store().events().ofType(app, "_journey.send", Instant.EPOCH,
                10_000)) {
            assertThat(record.attributes()).containsEntry("journey_id", journey);
            logged.computeIfAbsent(record.endpointKey(), k -> new ArrayList<>()).add(
                    record.attributes().get("journey_activity_id") + ":" + record.attributes().get("journey_send_status"));
        }
        Map<String, List<String>> expected = new HashMap<>();
        for (Member m : entered) {
            List<String> sends = new ArrayList<>();
            sends.add(m.gold() ? (m.email() ? "email:SUCCESS" : "email:UNSUPPORTED_CHANNEL")
                    : (m.email() ? "sms:UNSUPPORTED_CHANNEL" : "sms:SUCCESS"));
            if (m.opens()) {
                sends.add("custom:SUCCESS");
            }
            expected.put(m.id().toLowerCase(Locale.ROOT), sends);
        }
        assertThat(logged.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((endpoint, sends) -> assertThat(logged.get(endpoint)).as("_journey.send of " + endpoint)
                .containsExactlyInAnyOrderElementsOf(sends));
    }

    /**
     * Holdout, RandomSplit, a WaitUntil already passed, a ContactCenter without Amazon Connect and a short Wait: the
     * random paths predicted with {@link ChoiceRules#percentile} (endpoint ids in mixed case: the key is lower-cased),
     * every activity's counters exact.
     */
    @Test
    void randomChoicesFollowThePublishedPercentileAndAreCountedExactly() throws Exception {
        String app = appWithChannels("choices");
        int size = 200;
        List<EndpointBatchItem> items = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            items.add(EndpointBatchItem.builder().id("Rand-" + i).channelType(ChannelType.SMS)
                    .address(String.format(Locale.ROOT, "+1206556%04d", i)).build());
        }
        for (int from = 0; from < size; from += 100) {
            List<EndpointBatchItem> batch = items.subList(from, from + 100);
            client.updateEndpointsBatch(r -> r.applicationId(app).endpointBatchRequest(b -> b.item(batch)));
        }
        String passed = Instant.now().minus(Duration.ofDays(1)).toString();
        String journey = publish(app, WriteJourneyRequest.builder().name("choices-" + store).startActivity("late")
                .startCondition(StartCondition.builder().segmentStartCondition(SegmentCondition.builder()
                        .segmentId(everyone(app)).build()).build())
                .activities(Map.of(
                        "late", Activity.builder().waitValue(WaitActivity.builder().waitTime(WaitTime.builder()
                                .waitUntil(passed).build()).nextActivity("hold").build()).build(),
                        "hold", Activity.builder().holdout(HoldoutActivity.builder().percentage(25)
                                .nextActivity("split").build()).build(),
                        "split", Activity.builder().randomSplit(RandomSplitActivity.builder().branches(
                                RandomSplitEntry.builder().percentage(20).nextActivity("connect").build(),
                                RandomSplitEntry.builder().percentage(30).nextActivity("pause").build(),
                                RandomSplitEntry.builder().percentage(50).build()).build()).build(),
                        "connect", Activity.builder().contactCenter(ContactCenterActivity.builder().build()).build(),
                        "pause", waitFor("PT1S", null)))
                .build());
        String run = firstRun(app, journey);

        long heldOut = 0;
        long[] branches = new long[3];
        for (int i = 0; i < size; i++) {
            String key = ("Rand-" + i).toLowerCase(Locale.ROOT);
            if (ChoiceRules.percentile(journey, key, 1, "hold") < 25) {
                heldOut++;
                continue;
            }
            double percentile = ChoiceRules.percentile(journey, key, 1, "split");
            branches[percentile < 20 ? 0 : percentile < 50 ? 1 : 2]++;
        }
        // 200 draws: each share lands near its percentage (a broken hash that sends everyone one way fails here).
        assertThat(heldOut).isBetween(25L, 80L);
        assertThat(branches[0]).isBetween(10L, 60L);
        assertThat(branches[1]).isBetween(20L, 80L);

        awaitState(app, journey, State.COMPLETED, Duration.ofSeconds(30));
        Map<String, Long> entry = new LinkedHashMap<>();
        entry.put("ENDPOINT_PRODUCED", (long) size);
        entry.put("ENDPOINT_ENTERED", (long) size);
        entry.put("ENDPOINT_LEFT", (long) size);
        entry.put("ENDPOINT_ACTIVE", 0L);
        Map<String, String> figures = expected(entry, "ENDPOINT_ACTIVE");
        awaitEqual("the run's metrics", Duration.ofSeconds(10), () -> runMetrics(app, journey, run), figures);
        assertThat(journeyMetrics(app, journey)).containsExactlyInAnyOrderEntriesOf(figures);

        Map<String, Map<String, String>> activities = new HashMap<>();
        activities.put("late", expected(Map.of("WAIT_DATE_PASSED", (long) size)));
        activities.put("hold", expected(Map.of("TOTAL", (long) size, "HOLDOUT", heldOut)));
        activities.put("split", expected(Map.of("TOTAL", size - heldOut, "Branch_1", branches[0],
                "Branch_2", branches[1], "Branch_3", branches[2])));
        activities.put("connect", expected(Map.of("UNSUPPORTED_CHANNEL", branches[0])));
        activities.put("pause", expected(Map.of("COMPLETED", branches[1])));
        for (Map.Entry<String, Map<String, String>> activity : activities.entrySet()) {
            assertThat(activityMetrics(app, journey, activity.getKey())).as("metrics of " + activity.getKey())
                    .containsExactlyInAnyOrderEntriesOf(activity.getValue());
            assertThat(runActivityMetrics(app, journey, run, activity.getKey())).as("run metrics of " + activity.getKey())
                    .containsExactlyInAnyOrderEntriesOf(activity.getValue());
        }
        assertThat(smsHooks).isEmpty();
        assertThat(emails()).isEmpty();
    }
}
