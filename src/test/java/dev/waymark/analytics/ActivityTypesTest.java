package dev.waymark.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.journeys.JourneyDefinition.ActivityNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ActivityTypesTest {
    private static ActivityNode node(String... kinds) {
        return new ActivityNode("a", List.of(kinds), List.of(), Optional.empty(), Optional.empty());
    }

    @Test
    void eachKindHasItsMetricsType() {
        Map<String, String> expected = Map.of("EMAIL", "EMAIL", "SMS", "SMS", "PUSH", "PUSH", "CUSTOM", "CUSTOM",
                "ConditionalSplit", "CONDITIONAL_SPLIT", "MultiCondition", "MULTI_CONDITIONAL_SPLIT",
                "RandomSplit", "RANDOM_SPLIT", "Holdout", "HOLDOUT", "Wait", "WAIT", "ContactCenter", "CONTACT_CENTER");
        expected.forEach((kind, type) -> assertThat(ActivityTypes.of(node(kind))).as(kind).isEqualTo(type));
        assertThat(ActivityTypes.of(node())).isEqualTo(ActivityTypes.NONE);
    }
}
