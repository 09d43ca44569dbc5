package dev.waymark.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.waymark.rules.RuleViolation;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KpiRangeRulesTest {
    private static final Instant NOW = Instant.parse("2026-11-26T07:30:00Z");

    private static KpiRangeRules.Range resolve(String start, String end) {
        return KpiRangeRules.resolve(Optional.ofNullable(start), Optional.ofNullable(end), NOW);
    }

    @Test
    void withoutDatesThePreceding31CalendarDaysUpToNow() {
        KpiRangeRules.Range range = resolve(null, null);
        assertThat(range.end()).isEqualTo(NOW);
        assertThat(range.start()).isEqualTo(Instant.parse("2026-10-27T00:00:00Z"));
    }

    @Test
    void explicitDatesInAnyZoneAreKept() {
        KpiRangeRules.Range range = resolve("2026-11-01T10:00:00+02:00", "2026-11-20T20:00:00.250Z");
        assertThat(range.start()).isEqualTo(Instant.parse("2026-11-01T08:00:00Z"));
        assertThat(range.end()).isEqualTo(Instant.parse("2026-11-20T20:00:00.250Z"));
        assertThat(resolve("2026-11-20T00:00:00Z", null).end()).isEqualTo(NOW);
    }

    @Test
    void thirtyOneCalendarDaysAtMost() {
        assertThat(resolve("2026-10-01T00:00:00Z", "2026-10-31T23:59:59Z").start())
                .isEqualTo(Instant.parse("2026-10-01T00:00:00Z"));
        assertThatThrownBy(() -> resolve("2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z"))
                .isInstanceOf(RuleViolation.class).hasMessageContaining("32 calendar days");
    }

    @Test
    void startFewerThan90DaysAgo() {
        assertThat(resolve("2026-08-28T07:30:01Z", "2026-08-29T00:00:00Z").start()).isNotNull();
        assertThatThrownBy(() -> resolve("2026-08-28T07:30:00Z", "2026-08-29T00:00:00Z"))
                .isInstanceOf(RuleViolation.class).hasMessageContaining("start-time").hasMessageContaining("90 days");
    }

    @Test
    void unreadableOrReversedDatesNameTheParameter() {
        assertThatThrownBy(() -> resolve("yesterday", null)).isInstanceOf(RuleViolation.class)
                .hasMessageContaining("start-time").hasMessageContaining("'yesterday'");
        assertThatThrownBy(() -> resolve(null, "2026-11-26")).isInstanceOf(RuleViolation.class)
                .hasMessageContaining("end-time");
        assertThatThrownBy(() -> resolve(null, "x".repeat(10_000))).isInstanceOf(RuleViolation.class)
                .hasMessageContaining("…").satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
        assertThatThrownBy(() -> resolve("2026-11-20T00:00:00Z", "2026-11-19T00:00:00Z"))
                .isInstanceOf(RuleViolation.class).hasMessageContaining("must not be after end-time");
    }
}
