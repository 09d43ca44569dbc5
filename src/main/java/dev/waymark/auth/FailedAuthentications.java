package dev.waymark.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * Failed authentications, each as a token bucket: a subject may fail {@code BURST} times, then once a second. The
 * subjects are a client address, for key ids that are malformed or unknown (so a flood of made-up key ids costs the
 * flooder time and the store nothing), and an address with a known key id, for bad signatures, expired or revoked
 * keys (so a client with a stale secret is slowed without locking other keys of the same address out). What is kept
 * is bounded: at most {@code MAX_SUBJECTS} subjects, each forgotten after ten quiet minutes.
 */
final class FailedAuthentications {
    private static final int BURST = 20;
    private static final double REFILL_PER_NANO = 1 / 1_000_000_000d;
    private static final int MAX_SUBJECTS = 10_000;

    private final Cache<String, Bucket> buckets = Caffeine.newBuilder().maximumSize(MAX_SUBJECTS)
            .expireAfterAccess(Duration.ofMinutes(10)).build();

    /** The subject of failures with a known key from an address. */
    static String withKey(String address, String keyId) {
        return address + " " + keyId;
    }

    /** Records a failure of {@code subject}: an address, or {@link #withKey}. */
    void failed(String subject) {
        buckets.get(subject, a -> new Bucket()).take(System.nanoTime());
    }

    /** Whether {@code subject} has used up its failures for now. */
    boolean penalised(String subject) {
        Bucket bucket = buckets.getIfPresent(subject);
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
