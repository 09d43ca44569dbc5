package dev.waymark.messaging;

import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;

/**
 * When a message that failed transiently is tried again: exponential back-off with equal jitter (the n-th retry waits
 * between half and all of {@code first} × 2^(n-1), at most {@code cap}), for as long as the message is younger than
 * {@code giveUpAfter}; after that it fails for good. Half the delay is fixed so that retries never bunch at zero;
 * the other half is random so that messages failed together do not come back together.
 */
public final class RetrySchedule {
    /** First retry within 1-2 s, then 2-4 s, 4-8 s ..., at most 10 min apart, for up to an hour. */
    public static final Duration FIRST = Duration.ofSeconds(2);
    public static final Duration CAP = Duration.ofMinutes(10);
    public static final Duration GIVE_UP_AFTER = Duration.ofHours(1);

    private final Clock clock;
    private final RandomGenerator random;
    private final long firstMs;
    private final long capMs;
    private final long giveUpAfterMs;

    public RetrySchedule(Clock clock, RandomGenerator random, Duration first, Duration cap, Duration giveUpAfter) {
        if (first.isNegative() || first.isZero() || cap.compareTo(first) < 0 || giveUpAfter.isNegative()) {
            throw new IllegalArgumentException("retry schedule: first > 0, cap >= first, giveUpAfter >= 0");
        }
        this.clock = clock;
        this.random = random;
        this.firstMs = first.toMillis();
        this.capMs = cap.toMillis();
        this.giveUpAfterMs = giveUpAfter.toMillis();
    }

    /** Pinpoint-like defaults on {@code clock}. */
    public static RetrySchedule standard(Clock clock) {
        return new RetrySchedule(clock, RandomGenerator.getDefault(), FIRST, CAP, GIVE_UP_AFTER);
    }

    /**
     * When to try a message again after its {@code attempts}-th attempt (counting from 1) failed transiently, or empty
     * when it must fail for good because the next attempt would come after its deadline ({@code createdMs} +
     * giveUpAfter).
     */
    public OptionalLong next(long createdMs, int attempts) {
        int doublings = Math.max(0, Math.min(attempts - 1, 30));
        long delay = Math.min(capMs, firstMs << doublings);
        long half = delay / 2;
        long jittered = half + (delay - half > 0 ? random.nextLong(delay - half + 1) : 0);
        long at = clock.millis() + jittered;
        return at > createdMs + giveUpAfterMs ? OptionalLong.empty() : OptionalLong.of(at);
    }
}
