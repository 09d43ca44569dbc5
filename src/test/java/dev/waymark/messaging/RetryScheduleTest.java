package dev.waymark.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** Exponential back-off with equal jitter, capped, until the message's hour is up. */
class RetryScheduleTest {
    private static final Instant T0 = Instant.parse("2026-11-26T07:00:00Z");

    @Test
    void delaysDoubleWithJitterUpToTheCapAndStopAfterAnHour() {
        MutableClock clock = new MutableClock(T0);
        RetrySchedule schedule = RetrySchedule.standard(clock);
        long created = T0.toEpochMilli();
        for (int attempt = 1; attempt <= 12; attempt++) {
            long full = Math.min(600_000, 2000L << (attempt - 1));
            for (int sample = 0; sample < 50; sample++) {
                long delay = schedule.next(created, attempt).orElseThrow() - clock.millis();
                assertThat(delay).as("attempt %d", attempt).isBetween(full / 2, full);
            }
        }
        assertThat(schedule.next(created, 1).orElseThrow() - created).as("the first retry comes within seconds")
                .isLessThanOrEqualTo(2000);

        clock.advance(Duration.ofMinutes(59));
        RetrySchedule lowest = new RetrySchedule(clock, fixed(0), RetrySchedule.FIRST, RetrySchedule.CAP,
                RetrySchedule.GIVE_UP_AFTER);
        assertThat(lowest.next(created, 20)).as("5 min after 59 min is past the hour").isEmpty();
        assertThat(lowest.next(created, 1)).as("1 s after 59 min is not").isPresent();
        clock.advance(Duration.ofMinutes(1));
        assertThat(lowest.next(created, 1)).isEqualTo(OptionalLong.empty());
    }

    @Test
    void jitterSpreadsMessagesThatFailedTogether() {
        MutableClock clock = new MutableClock(T0);
        RetrySchedule schedule = RetrySchedule.standard(clock);
        long distinct = java.util.stream.IntStream.range(0, 100)
                .mapToLong(i -> schedule.next(T0.toEpochMilli(), 5).orElseThrow()).distinct().count();
        assertThat(distinct).isGreaterThan(50);
    }

    private static RandomGenerator fixed(long value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return value;
            }

            @Override
            public long nextLong(long bound) {
                return Math.min(value, bound - 1);
            }
        };
    }
}
