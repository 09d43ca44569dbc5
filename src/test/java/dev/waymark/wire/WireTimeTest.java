package dev.waymark.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WireTimeTest {
    @Test
    void agreesWithTheIsoFormatterEverywhere() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 100_000; i++) {
            Instant instant = Instant.ofEpochMilli(random.nextLong(-62_167_219_200_000L, 253_402_300_799_999L));
            assertThat(WireTime.format(instant)).as("%s", instant).isEqualTo(WireTime.ISO.format(instant));
        }
        assertThat(WireTime.format(Instant.parse("2026-11-23T07:17:50Z"))).isEqualTo("2026-11-23T07:17:50.000Z");
        assertThat(WireTime.format(Instant.parse("1969-12-31T23:59:59.999Z"))).isEqualTo("1969-12-31T23:59:59.999Z");
        assertThat(WireTime.format(Instant.parse("+10000-01-01T00:00:00Z"))).isEqualTo(WireTime.ISO.format(
                Instant.parse("+10000-01-01T00:00:00Z")));
    }

    @Test
    void timesBeyondMillisecondsFormatWithoutOverflow() {
        Instant far = Instant.parse("+999999999-12-31T23:59:59Z");
        assertThat(WireTime.format(far)).isEqualTo("+999999999-12-31T23:59:59.000Z");
    }

    @Test
    void requestTimesAreHeldToTheYears1970To9999() {
        assertThat(WireTime.parseRequestTime("9999-12-31T23:59:59.999Z", "Schedule.EndTime"))
                .isEqualTo(WireTime.LATEST);
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                WireTime.parseRequestTime("+999999999-12-31T23:59:59Z", "Schedule.EndTime"))
                .hasMessageStartingWith("Schedule.EndTime must be a date-time from 1970");
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                WireTime.parseRequestTime("forever", "Schedule.EndTime"))
                .hasMessageStartingWith("Schedule.EndTime must be an ISO 8601 date-time");
    }
}
