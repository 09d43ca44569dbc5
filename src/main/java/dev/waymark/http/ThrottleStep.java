package dev.waymark.http;

import dev.waymark.error.ApiException;
import dev.waymark.error.ErrorType;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per access key: {@code rate} requests a second on average, bursts up to {@code burst}. Waymark's
 * own paths (/health, /metrics) are never throttled.
 */
public final class ThrottleStep implements Step {
    private static final int MAX_BUCKETS = 100_000;

    private final double ratePerNano;
    private final int burst;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public ThrottleStep(double ratePerSecond, int burst) {
        this.ratePerNano = ratePerSecond / 1_000_000_000d;
        this.burst = Math.max(1, burst);
    }

    @Override
    public ApiResponse apply(Exchange exchange, Chain next) throws Exception {
        if (SystemPaths.contains(exchange.request().getHttpURI().getPath())) {
            return next.proceed(exchange);
        }
        String key = exchange.caller().accessKeyId().orElse("");
        if (buckets.size() >= MAX_BUCKETS) {
            buckets.clear();
        }
        if (!buckets.computeIfAbsent(key, k -> new Bucket(burst)).take(System.nanoTime(), ratePerNano, burst)) {
            // The 429 is counted as "rate", the exchange's default throttle reason.
            throw new ApiException(ErrorType.TOO_MANY_REQUESTS, "Rate exceeded: "
                    + exchange.caller().accessKeyId().map(id -> "the access key " + id).orElse("this caller")
                    + " may send " + Math.round(ratePerNano * 1_000_000_000d) + " requests a second (bursts of "
                    + burst + ")");
        }
        return next.proceed(exchange);
    }

    /** Tokens refill continuously; a request takes one. */
    private static final class Bucket {
        private double tokens;
        private long updatedAt = System.nanoTime();

        Bucket(int burst) {
            this.tokens = burst;
        }

        synchronized boolean take(long now, double ratePerNano, int burst) {
            tokens = Math.min(burst, tokens + (now - updatedAt) * ratePerNano);
            updatedAt = now;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }
}
