package dev.waymark.http;

import dev.waymark.error.ApiException;
import dev.waymark.error.ErrorType;
import java.util.concurrent.Semaphore;

/**
 * Sends Waymark's own paths (/health, /metrics) straight to routing: no signature, no throttling, no Pinpoint
 * in-flight permit (health must answer while the API is busy), and no body read whatever the method, so a large
 * upload to them costs a thread only as long as the answer takes. They have a small bound of their own.
 */
final class SystemPathStep implements Step {
    /** As many as a load balancer and a benchmark at 64 connections send at once: each answer takes microseconds. */
    static final int MAX_IN_FLIGHT = 64;

    private final Step.Chain systemChain;
    private final Semaphore permits = new Semaphore(MAX_IN_FLIGHT);
    /** Email tracking URLs, which anyone can call, have their own: a burst of them never makes /health refuse. */
    private final Semaphore trackingPermits = new Semaphore(MAX_IN_FLIGHT);

    SystemPathStep(Step.Chain systemChain) {
        this.systemChain = systemChain;
    }

    @Override
    public ApiResponse apply(Exchange exchange, Chain next) throws Exception {
        String path = exchange.request().getHttpURI().getPath();
        if (!SystemPaths.contains(path)) {
            return next.proceed(exchange);
        }
        Semaphore permits = SystemPaths.tracking(path) ? trackingPermits : this.permits;
        if (!permits.tryAcquire()) {
            exchange.setThrottleReason("in_flight");
            throw new ApiException(ErrorType.TOO_MANY_REQUESTS, "Waymark is busy: " + MAX_IN_FLIGHT
                    + " requests to its own paths are in progress already; retry shortly");
        }
        try {
            return systemChain.proceed(exchange);
        } finally {
            permits.release();
        }
    }
}
