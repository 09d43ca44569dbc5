package dev.waymark.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * Failed authentications per client address, as a token bucket: an address may fail {@code BURST} times, then once
 * a second. Past that its requests with key ids that have not signed correctly lately are refused at once, without
 * a key look-up, so a flood of made-up key ids costs the flooder time and the store nothing. What is kept is
 * bounded: at most {@code MAX_ADDRESSES} addresses, each forgotten after ten quiet minutes.
 */
final class FailedAuthentications {
    private static final int BURST = 20;
    private static final double REFILL_PER_NANO = 1 / 1_000_000_000d;
    private static final int MAX_ADDRESSES = 10_000;

    private final Cache<String, Bucket> buckets = Caffeine.newBuilder().maximumSize(MAX_ADDRESSES)
            .expireAfterAccess(Duration.ofMinutes(10)).build();

    /** Records a failure from {@code address}. */
    void failed(String address) {
        buckets.get(address, a -> new Bucket()).take(System.nanoTime());
    }

    /** Whether {@code address} has used up its failures for now. */
    boolean penalised(String address) {
        Bucket bucket = buckets.getIfPresent(address);
        return bucket != null && bucket.empty(System.nanoTime());
    }

    /** Tokens refill continuously; a failure takes one. */
    private static final class Bucket {
        private double tokens = BURST;
        private long updatedAt = System.nanoTime();

        synchronized void take(long now) {
            refill(now);
            tokens = Math.max(0, tokens - 1);
        }

        synchronized boolean empty(long now) {
            refill(now);
            return tokens < 1;
        }

        private void refill(long now) {
            tokens = Math.min(BURST, tokens + (now - updatedAt) * REFILL_PER_NANO);
            updatedAt = now;
        }
    }
}
