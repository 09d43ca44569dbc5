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
}
