package dev.waymark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.engine.ChoiceRules;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.pinpoint.model.Activity;
import software.amazon.awssdk.services.pinpoint.model.AttributeDimension;
import software.amazon.awssdk.services.pinpoint.model.EventsBatch;
import software.amazon.awssdk.services.pinpoint.model.MultiConditionalBranch;
import software.amazon.awssdk.services.pinpoint.model.RandomSplitEntry;
import software.amazon.awssdk.services.pinpoint.model.SimpleCondition;
import software.amazon.awssdk.services.pinpoint.model.State;

/**
 * Every activity kind on the engine's own clock (engine.md E2, E6): Waits end exactly at their time, a WaitUntil
 * already past counts WAIT_DATE_PASSED, Holdout and RandomSplit take the paths ChoiceRules predicts, splits read
 * segmentDimensions, SegmentCondition and EventCondition when they evaluate (after their EvaluationWaitTime), a
 * ContactCenter counts UNSUPPORTED_CHANNEL, and a pause freezes a Wait with the time it had left.
 */
class EngineActivitiesEndToEndTest extends ManualEngineEndToEndTest {

    @Test
    void waitsHoldoutAndRandomSplitMoveEveryoneAtTheirTimeOnThePredictedPaths() {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(String.format("Walker-%02d", i));
            emailEndpoint(ids.get(i), "walkers", "Europe/Berlin");
        }
        Activity randomSplit = Activity.builder().randomSplit(s -> s.branches(
                RandomSplitEntry.builder().percentage(50).nextActivity("A").build(),
                RandomSplitEntry.builder().percentage(30).nextActivity("C").build(),
                RandomSplitEntry.builder().percentage(20).nextActivity("D").build())).build();
        Map<String, Activity> activities = Map.of(
                "W1", waitFor("PT1H", "W2"),
                "W2", Activity.builder().waitValue(w -> w.waitTime(t -> t.waitUntil(T0.plus(Duration.ofHours(3))
                        .toString())).nextActivity("W3")).build(),
                // Reached at T0+3h, an hour after its date: it moves on at once.
                "W3", Activity.builder().waitValue(w -> w.waitTime(t -> t.waitUntil(T0.plus(Duration.ofHours(2))
                        .toString())).nextActivity("H")).build(),
                "H", Activity.builder().holdout(h -> h.percentage(30).nextActivity("R")).build(),
                "R", randomSplit,
                "A", waitFor("PT10M", null),
                "C", Activity.builder().contactCenter(c -> c.nextActivity("D")).build(),
                "D", waitFor("PT20M", null));
        String journeyId = publish(journey("walk", segment("walkers", "walkers"), "W1", activities));

        // The paths ChoiceRules gives each participant (its first entry), with the split's cumulative percentages.
        int heldOut = 0;
        int[] branches = new int[3];
        for (String id : ids) {
            if (ChoiceRules.percentile(journeyId, id.toLowerCase(), 1, "H") < 30) {
                heldOut++;
                continue;
            }
            double p = ChoiceRules.percentile(journeyId, id.toLowerCase(), 1, "R");
            branches[p < 50 ? 0 : p < 80 ? 1 : 2]++;
        }
        assertThat(heldOut).as("40 endpoints, 30 %% held out").isBetween(4, 22);

        at(T0);
        assertSingleRun(journeyId, metrics("ENDPOINT_PRODUCED", 40, "ENDPOINT_ENTERED", 40, "ENDPOINT_ACTIVE", 40));
        at(T0.plus(Duration.ofHours(1)).minusSeconds(1));
        assertThat(activityMetrics(journeyId, "W1", "WAIT")).as("W1 before its hour").isEmpty();
        at(T0.plus(Duration.ofHours(1)));
        assertThat(activityMetrics(journeyId, "W1", "WAIT")).isEqualTo(metrics("COMPLETED", 40));
        at(T0.plus(Duration.ofHours(3)).minusSeconds(1));
        assertThat(activityMetrics(journeyId, "W2", "WAIT")).as("W2 before its date").isEmpty();
        assertThat(activityMetrics(journeyId, "H", "HOLDOUT")).isEmpty();

        at(T0.plus(Duration.ofHours(3)));
        assertThat(activityMetrics(journeyId, "W2", "WAIT")).isEqualTo(metrics("COMPLETED", 40));
        assertThat(activityMetrics(journeyId, "W3", "WAIT")).isEqualTo(metrics("WAIT_DATE_PASSED", 40));
        assertThat(activityMetrics(journeyId, "H", "HOLDOUT"))
                .isEqualTo(nonZero(counts("TOTAL", 40, "HOLDOUT", heldOut)));
        assertThat(activityMetrics(journeyId, "R", "RANDOM_SPLIT")).isEqualTo(nonZero(counts("TOTAL", 40 - heldOut,
                "Branch_1", branches[0], "Branch_2", branches[1], "Branch_3", branches[2])));
        assertThat(activityMetrics(journeyId, "C", "CONTACT_CENTER"))
                .isEqualTo(nonZero(counts("UNSUPPORTED_CHANNEL", branches[1])));
        assertThat(activityMetrics(journeyId, "A", "WAIT")).isEmpty();
        assertSingleRun(journeyId, metrics("ENDPOINT_PRODUCED", 40, "ENDPOINT_ENTERED", 40, "ENDPOINT_ACTIVE",
                40 - heldOut, "ENDPOINT_LEFT", heldOut));

        at(T0.plus(Duration.ofMinutes(190)));
        assertThat(activityMetrics(journeyId, "A", "WAIT")).isEqualTo(nonZero(counts("COMPLETED", branches[0])));
        at(T0.plus(Duration.ofMinutes(200)));
        assertThat(activityMetrics(journeyId, "D", "WAIT"))
                .isEqualTo(nonZero(counts("COMPLETED", branches[1] + branches[2])));
        assertSingleRun(journeyId, metrics("ENDPOINT_PRODUCED", 40, "ENDPOINT_ENTERED", 40, "ENDPOINT_ACTIVE", 0,
                "ENDPOINT_LEFT", 40));
        at(T0.plus(Duration.ofMinutes(201)));
        assertThat(state(journeyId)).isEqualTo(State.COMPLETED);
    }

    /**
     * ConditionalSplit (ANY of segmentDimensions and a SegmentCondition) evaluates at arrival; the MultiCondition
     * evaluates an hour after arrival, so an attribute changed and events put meanwhile decide, in branch order, and
     * an event put before the endpoint entered does not count.
     */
    @Test
    void splitsEvaluateTheirConditionsWhenTheyAreDue() {
        for (String id : List.of("gold-1", "gold-2")) {
            endpoint(id, e -> e.attributes(Map.of("plan", List.of("gold"))));
        }
        for (String id : List.of("basic-1", "basic-2", "basic-3", "basic-4", "early")) {
            endpoint(id, e -> e.attributes(Map.of("plan", List.of("basic"))));
        }
        endpoint("phone", e -> e.channelType("SMS").address("+12127365000").attributes(Map.of("plan",
                List.of("gold"))));
        String vip = client.createSegment(r -> r.applicationId(appId).writeSegmentRequest(s -> s.name("vip")
                .dimensions(d -> d.attributes(Map.of("vip", inclusive("yes")))))).segmentResponse().id();
        purchase("early");

        SimpleCondition gold = SimpleCondition.builder().segmentDimensions(d -> d.attributes(Map.of("plan",
                inclusive("gold")))).build();
        SimpleCondition isVip = SimpleCondition.builder().segmentCondition(s -> s.segmentId(vip)).build();
        SimpleCondition purchased = SimpleCondition.builder().eventCondition(e -> e.dimensions(d -> d.eventType(t -> t
                .dimensionType("INCLUSIVE").values("purchase")))).build();
        Map<String, Activity> activities = Map.of(
                "CS", Activity.builder().conditionalSplit(c -> c.condition(k -> k.operator("ANY")
                        .conditions(gold, isVip)).trueActivity("T").falseActivity("F")).build(),
                "T", waitFor("PT1M", "M"),
                "F", waitFor("PT1M", "M"),
                "M", Activity.builder().multiCondition(m -> m.evaluationWaitTime(w -> w.waitFor("PT1H"))
                        .branches(MultiConditionalBranch.builder().condition(isVip).nextActivity("X").build(),
                                MultiConditionalBranch.builder().condition(purchased).nextActivity("Y").build())
                        .defaultActivity("Z")).build(),
                "X", waitFor("PT1M", null),
                "Y", waitFor("PT1M", null),
                "Z", waitFor("PT1M", null));
        time.set(T0.plusSeconds(1));
        String journeyId = publish(journey("splits", everyone(appId), "CS", activities));
        at(T0.plusSeconds(1));
        assertThat(activityMetrics(journeyId, "CS", "CONDITIONAL_SPLIT"))
                .isEqualTo(metrics("Branch_1", 3, "Branch_2", 5));
        at(T0.plusSeconds(61));
        assertThat(activityMetrics(journeyId, "T", "WAIT")).isEqualTo(metrics("COMPLETED", 3));
        assertThat(activityMetrics(journeyId, "F", "WAIT")).isEqualTo(metrics("COMPLETED", 5));

        // While the MultiCondition waits: two become VIPs, three buy (one of them a VIP: the first branch wins).
        time.set(T0.plus(Duration.ofMinutes(30)));
        for (String id : List.of("basic-1", "gold-1")) {
            client.updateEndpoint(r -> r.applicationId(appId).endpointId(id).endpointRequest(e -> e
                    .attributes(Map.of("vip", List.of("yes")))));
        }
        for (String id : List.of("basic-1", "basic-2", "gold-2")) {
            purchase(id);
        }
        at(T0.plus(Duration.ofMinutes(61)));
        assertThat(activityMetrics(journeyId, "M", "MULTI_CONDITIONAL_SPLIT")).as("before its evaluation time")
                .isEmpty();
        at(T0.plus(Duration.ofMinutes(61)).plusSeconds(1));
        assertThat(activityMetrics(journeyId, "M", "MULTI_CONDITIONAL_SPLIT"))
                .isEqualTo(metrics("Branch_1", 2, "Branch_2", 2, "Branch_3", 4));
        at(T0.plus(Duration.ofMinutes(62)).plusSeconds(1));
        assertThat(activityMetrics(journeyId, "X", "WAIT")).isEqualTo(metrics("COMPLETED", 2));
        assertThat(activityMetrics(journeyId, "Y", "WAIT")).isEqualTo(metrics("COMPLETED", 2));
        assertThat(activityMetrics(journeyId, "Z", "WAIT")).isEqualTo(metrics("COMPLETED", 4));
        assertSingleRun(journeyId, metrics("ENDPOINT_PRODUCED", 8, "ENDPOINT_ENTERED", 8, "ENDPOINT_ACTIVE", 0,
                "ENDPOINT_LEFT", 8));
    }

    /** Paused mid-Wait for hours: nobody moves; resumed, the Wait ends after the 40 minutes it had left. */
    @Test
    void aPauseFreezesAWaitAndAResumeGivesItTheTimeItHadLeft() {
        for (String id : List.of("p-1", "p-2", "p-3")) {
            emailEndpoint(id, "paused", "Europe/Berlin");
        }
        String journeyId = publish(journey("pause", segment("paused", "paused"), "W",
                Map.of("W", waitFor("PT1H", "E"), "E", waitFor("PT1M", null))).refreshFrequency("PT24H"));
        at(T0);
        assertThat(journeyMetrics(journeyId))
                .isEqualTo(metrics("ENDPOINT_PRODUCED", 3, "ENDPOINT_ENTERED", 3, "ENDPOINT_ACTIVE", 3));

        time.set(T0.plus(Duration.ofMinutes(20)));
        setState(journeyId, State.PAUSED);
        at(T0.plus(Duration.ofMinutes(20)));
        at(T0.plus(Duration.ofMinutes(60)));
        at(T0.plus(Duration.ofHours(3)));
        assertThat(activityMetrics(journeyId, "W", "WAIT")).as("paused past the Wait's end").isEmpty();
        assertThat(journeyMetrics(journeyId)).containsEntry("ENDPOINT_ACTIVE", "3").doesNotContainKey("ENDPOINT_LEFT");

        setState(journeyId, State.ACTIVE);
        at(T0.plus(Duration.ofHours(3)));
        at(T0.plus(Duration.ofHours(3)).plus(Duration.ofMinutes(40)).minusSeconds(1));
        assertThat(activityMetrics(journeyId, "W", "WAIT")).as("resumed, 40 minutes not over").isEmpty();
        at(T0.plus(Duration.ofHours(3)).plus(Duration.ofMinutes(40)));
        assertThat(activityMetrics(journeyId, "W", "WAIT")).isEqualTo(metrics("COMPLETED", 3));
        at(T0.plus(Duration.ofHours(3)).plus(Duration.ofMinutes(41)));
        assertThat(activityMetrics(journeyId, "E", "WAIT")).isEqualTo(metrics("COMPLETED", 3));
        assertThat(journeyMetrics(journeyId)).containsEntry("ENDPOINT_LEFT", "3").containsEntry("ENDPOINT_ACTIVE", "0");
    }

    private void purchase(String endpointId) {
        Instant now = time.now();
        client.putEvents(r -> r.applicationId(appId).eventsRequest(e -> e.batchItem(Map.of(endpointId,
                EventsBatch.builder().endpoint(p -> { })
                        .events(Map.of("buy-" + now.toEpochMilli(), software.amazon.awssdk.services.pinpoint.model
                                .Event.builder().eventType("purchase").timestamp(now.toString()).build())).build()))));
    }

    private static AttributeDimension inclusive(String value) {
        return AttributeDimension.builder().attributeType("INCLUSIVE").values(value).build();
    }

    /** Key, count pairs in order. */
    static Map<String, Integer> counts(Object... keysAndCounts) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < keysAndCounts.length; i += 2) {
            counts.put((String) keysAndCounts[i], (Integer) keysAndCounts[i + 1]);
        }
        return counts;
    }
}
