package dev.waymark.http;

import dev.waymark.auth.RequestAuthenticator;
import dev.waymark.error.ApiException;
import dev.waymark.error.ErrorType;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Bounds the Pinpoint requests in progress: past the bound a request is refused at once with
 * TooManyRequestsException instead of waiting in a queue without end. Only a request whose signature is verified
 * holds one of the {@code max} permits. A request signed without {@code x-amz-content-sha256} (boto3) is from a
 * known key id but not yet proven, since its body is part of its signature: while its body is read it holds a
 * permit of a small separate pool, at most {@link #UNVERIFIED_PER_ADDRESS} per address, and it trades that for a
 * normal permit once the body proves the signature ({@link #afterSignature}). A forger who knows a key id can
 * therefore hold the small pool, never the permits of signed clients.
 */
final class InFlightStep implements Step {
    // Wide enough for one host's boto3 threads posting at once (a benchmark of 64 connections from one address got
    // 429s at 4, and a few still at 32, per address; boto3 pools 10 connections per client), narrow enough that a
    // forger from one address holds at most half, and never the permits of clients whose signature is verified.
    static final int UNVERIFIED_MAX = 128;
    static final int UNVERIFIED_PER_ADDRESS = 64;
    private static final Set<String> METHODS_WITH_BODY = Set.of("POST", "PUT", "PATCH");

    private final Semaphore permits;
    private final int max;
    private final Semaphore unverified = new Semaphore(UNVERIFIED_MAX);
    /** Unverified requests in progress by address; an address is removed when it holds none (so at most 128). */
    private final ConcurrentHashMap<String, Integer> unverifiedByAddress = new ConcurrentHashMap<>();

    InFlightStep(int max) {
        this.permits = new Semaphore(max);
        this.max = max;
    }

    int inFlight() {
        return max - permits.availablePermits();
    }

    /** Before the body: a verified (or unsigned-mode) request takes its permit; an unverified one, the small pool. */
    @Override
    public ApiResponse apply(Exchange exchange, Chain next) throws Exception {
        RequestAuthenticator.HeadersChecked checked = exchange.headersChecked();
        boolean unproven = checked != null && !checked.signatureVerified()
                && METHODS_WITH_BODY.contains(exchange.request().getMethod());
        if (!unproven) {
            return withPermit(exchange, next);
        }
        String address = org.eclipse.jetty.server.Request.getRemoteAddr(exchange.request());
        takeUnverified(exchange, address);
        exchange.holdUnverifiedPermit(() -> giveBackUnverified(address));
        try {
            return next.proceed(exchange);
        } finally {
            exchange.releaseUnverifiedPermit();
        }
    }

    /** After the body's signature check: a request that held the small pool now takes its normal permit. */
    Step afterSignature() {
        return (exchange, next) -> {
            if (!exchange.holdsUnverifiedPermit()) {
                return next.proceed(exchange);
            }
            exchange.releaseUnverifiedPermit();
            return withPermit(exchange, next);
        };
    }

    private ApiResponse withPermit(Exchange exchange, Chain next) throws Exception {
        if (!permits.tryAcquire()) {
            exchange.setThrottleReason("in_flight");
            throw new ApiException(ErrorType.TOO_MANY_REQUESTS, "Waymark is busy: " + max
                    + " requests are in progress already; retry shortly");
        }
        try {
            return next.proceed(exchange);
        } finally {
            permits.release();
        }
    }

    private void takeUnverified(Exchange exchange, String address) {
        boolean[] taken = {false};
        unverifiedByAddress.compute(address, (a, held) -> {
            int count = held == null ? 0 : held;
            if (count >= UNVERIFIED_PER_ADDRESS || !unverified.tryAcquire()) {
                return held;
            }
            taken[0] = true;
            return count + 1;
        });
        if (!taken[0]) {
            exchange.setThrottleReason("in_flight_unverified");
            throw new ApiException(ErrorType.TOO_MANY_REQUESTS, "Waymark is busy: too many requests whose "
                    + "signature covers a body still being read (at most " + UNVERIFIED_PER_ADDRESS
                    + " per address, " + UNVERIFIED_MAX + " in all); send x-amz-content-sha256, or retry shortly");
        }
    }

    private void giveBackUnverified(String address) {
        unverifiedByAddress.computeIfPresent(address, (a, held) -> held <= 1 ? null : held - 1);
        unverified.release();
    }
}
