package dev.waymark.journeys;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.waymark.journeys.JourneyDefinition.ActivityNode;
import dev.waymark.journeys.JourneyDefinition.Link;
import dev.waymark.journeys.JourneyDefinition.StartKind;
import dev.waymark.rules.RuleViolation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JourneyRulesTest {
    private final JourneyRules rules = new JourneyRules(40, Duration.ofMinutes(1));

    private static ActivityNode node(String id, String kind, String... targets) {
        List<Link> links = new ArrayList<>();
        for (String target : targets) {
            links.add(new Link("Activities." + id + "." + kind + ".NextActivity", target));
        }
        return new ActivityNode(id, List.of(kind), links, Optional.empty(), Optional.empty());
    }

    private static JourneyDefinition journey(String start, ActivityNode... nodes) {
        Map<String, ActivityNode> activities = new LinkedHashMap<>();
        for (ActivityNode node : nodes) {
            activities.put(node.id(), node);
        }
        return new JourneyDefinition("j", Optional.empty(), Optional.ofNullable(start), activities, Optional.empty(),
                Optional.empty(), Optional.empty(), StartKind.SEGMENT);
    }

    private void unpublishable(JourneyDefinition journey, String message) {
        assertThatThrownBy(() -> rules.checkPublishable(journey)).isInstanceOf(RuleViolation.class)
                .hasMessageContaining(message);
    }

    @Test
    void aCompleteAcyclicGraphPublishes() {
        assertThatCode(() -> rules.checkPublishable(journey("a", node("a", "EMAIL", "b"), node("b", "Wait", "c"),
                node("c", "SMS")))).doesNotThrowAnyException();
    }

    @Test
    void graphFaultsAreNamed() {
        unpublishable(journey(null, node("a", "EMAIL")), "StartActivity is required");
        unpublishable(journey("x", node("a", "EMAIL")), "StartActivity names 'x'");
        unpublishable(journey("a", node("a", "EMAIL", "zz")), "Activities.a.EMAIL.NextActivity names 'zz'");
        unpublishable(journey("a", node("a", "EMAIL", "b"), node("b", "Wait", "a")), "is part of a cycle");
        unpublishable(journey("a", node("a", "EMAIL", "a")), "is part of a cycle");
        unpublishable(journey("a"), "at least one activity");
        unpublishable(journey("a", new ActivityNode("a", List.of("EMAIL", "SMS"), List.of(), Optional.empty(),
                Optional.empty())), "exactly one activity type");
        unpublishable(journey("a", new ActivityNode("a", List.of(), List.of(), Optional.empty(), Optional.empty())),
                "not none");
    }

    @Test
    void atMostTheConfiguredNumberOfActivities() {
        ActivityNode[] nodes = new ActivityNode[41];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = node("a" + i, "EMAIL");
        }
        unpublishable(journey("a0", nodes), "at most 40 activities, this one has 41");
        assertThatCode(() -> rules.checkPublishable(journey("a0", Arrays.copyOf(nodes, 40)))).doesNotThrowAnyException();
    }

    @Test
    void splitLimits() {
        ActivityNode badSplit = new ActivityNode("r", List.of("RandomSplit"), List.of(),
                Optional.of(new JourneyDefinition.RandomSplit(List.of(50, 40))), Optional.empty());
        unpublishable(journey("r", badSplit), "must add up to 100, not 90");
        ActivityNode tooMany = new ActivityNode("r", List.of("RandomSplit"), List.of(),
                Optional.of(new JourneyDefinition.RandomSplit(List.of(20, 20, 20, 20, 10, 10))), Optional.empty());
        unpublishable(journey("r", tooMany), "1 to 5 branches, not 6");
        ActivityNode multi = new ActivityNode("m", List.of("MultiCondition"), List.of(), Optional.empty(), Optional.of(5));
        unpublishable(journey("m", multi), "1 to 4 branches besides the default path, not 5");
    }

    @Test
    void startConditionIsNeeded() {
        JourneyDefinition none = new JourneyDefinition("j", Optional.empty(), Optional.of("a"),
                Map.of("a", node("a", "EMAIL")), Optional.empty(), Optional.empty(), Optional.empty(), StartKind.NONE);
        unpublishable(none, "StartCondition needs");
    }

    @Test
    void definitionRules() {
        assertThatThrownBy(() -> rules.checkDefinition(named("a b"))).hasMessage("Name must not contain spaces");
        assertThatThrownBy(() -> rules.checkDefinition(named("x".repeat(151)))).hasMessage("Name must be 1 to 150 characters");
        assertThatCode(() -> rules.checkDefinition(named("x".repeat(150)))).doesNotThrowAnyException();
        JourneyDefinition backwards = new JourneyDefinition("j", Optional.empty(), Optional.empty(), Map.of(),
                Optional.empty(), Optional.of(Instant.parse("2027-01-02T00:00:00Z")),
                Optional.of(Instant.parse("2027-01-01T00:00:00Z")), StartKind.NONE);
        assertThatThrownBy(() -> rules.checkDefinition(backwards)).hasMessage("Schedule.EndTime must be after Schedule.StartTime");
        assertThatThrownBy(() -> rules.checkDefinition(refreshing("PT30S"))).hasMessageContaining("at least PT1M");
        assertThatThrownBy(() -> rules.checkDefinition(refreshing("daily"))).hasMessageContaining("ISO 8601 duration");
        assertThatCode(() -> rules.checkDefinition(refreshing("P1D"))).doesNotThrowAnyException();
        assertThatCode(() -> rules.checkDefinition(refreshing("P2W"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> rules.checkDefinition(refreshing("P1M")))
                .hasMessageContaining("calendar months and years are not supported");
        JourneyDefinition badId = journey("a-b", node("a-b", "EMAIL"));
        assertThatThrownBy(() -> rules.checkDefinition(badId)).hasMessageContaining("alphanumeric");
    }

    @Test
    void refreshFrequencyIsAtMostTheLongestJourney() {
        for (String tooLong : new String[] {"PT10000000000000000S", "P999999999999D", "P1000000W", "P541D",
                "PT100000000000000000000S", "P99999999999999999W"}) {
            assertThatThrownBy(() -> rules.checkDefinition(refreshing(tooLong)))
                    .hasMessageStartingWith("RefreshFrequency must be at most P540D (540 days, the longest a "
                            + "journey lasts), not '");
        }
        assertThatCode(() -> rules.checkDefinition(refreshing("P540D"))).doesNotThrowAnyException();
        assertThatCode(() -> rules.checkDefinition(refreshing("P77W"))).doesNotThrowAnyException();
    }

    @Test
    void draftsAreHeldToTheActivityAndSizeCaps() {
        ActivityNode[] nodes = new ActivityNode[41];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = node("a" + i, "EMAIL");
        }
        assertThatThrownBy(() -> rules.checkDefinition(journey("a0", nodes)))
                .hasMessageContaining("at most 40 activities, this one has 41");
        assertThatThrownBy(() -> rules.checkStoredSize(JourneyRules.MAX_DEFINITION_BYTES + 1))
                .hasMessageContaining("at most " + JourneyRules.MAX_DEFINITION_BYTES + " bytes");
        assertThatCode(() -> rules.checkStoredSize(JourneyRules.MAX_DEFINITION_BYTES)).doesNotThrowAnyException();
    }

    private static JourneyDefinition named(String name) {
        return new JourneyDefinition(name, Optional.empty(), Optional.empty(), Map.of(), Optional.empty(),
                Optional.empty(), Optional.empty(), StartKind.NONE);
    }

    private static JourneyDefinition refreshing(String frequency) {
        return new JourneyDefinition("j", Optional.empty(), Optional.empty(), Map.of(), Optional.of(frequency),
                Optional.empty(), Optional.empty(), StartKind.NONE);
    }
}
