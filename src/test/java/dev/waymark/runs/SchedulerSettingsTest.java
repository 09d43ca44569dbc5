package dev.waymark.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SchedulerSettingsTest {
    @Test
    void planningRetriesDoubleUpToTheLongestDelay() {
        SchedulerSettings settings = SchedulerSettings.DEFAULTS;
        assertThat(settings.retryDelay(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.retryDelay(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.retryDelay(9)).isEqualTo(Duration.ofSeconds(256));
        assertThat(settings.retryDelay(10)).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.retryDelay(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.parkAfterFailures()).isEqualTo(10);
    }
}
