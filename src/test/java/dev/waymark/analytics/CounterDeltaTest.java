package dev.waymark.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CounterDeltaTest {
    @Test
    void factoriesFillTheLevels() {
        assertThat(CounterDelta.run("r", MetricKeys.ENDPOINT_ENTERED, 1))
                .isEqualTo(new CounterDelta("r", "", "ENDPOINT_ENTERED", 1));
        assertThat(CounterDelta.activity("r", "a", MetricKeys.branch(2), -1))
                .isEqualTo(new CounterDelta("r", "a", "Branch_2", -1));
    }

    @Test
    void keysAndIdsAreBounded() {
        assertThatThrownBy(() -> CounterDelta.run("r", "", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CounterDelta.run("r", "NOT A KEY", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CounterDelta.run("r".repeat(129), "SUCCESS", 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetricKeys.branch(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theKeyTableHasEachNameOnceAndEveryNameIsAValidKey() {
        assertThat(MetricKeys.ALL.stream().collect(Collectors.groupingBy(MetricKeys.Key::name, Collectors.counting())))
                .allSatisfy((name, count) -> assertThat(count).as(name).isEqualTo(1L));
        MetricKeys.ALL.forEach(key -> CounterDelta.run("r", key.name(), 1));
    }
}
