package dev.waymark.http;

import dev.waymark.error.ApiException;
import dev.waymark.error.ErrorType;
import java.util.concurrent.Semaphore;

/**
 * Bounds the Pinpoint requests in progress: past the bound a request is refused at once with
 * TooManyRequestsException instead of waiting in a queue without end. A request takes its permit only once its
 * headers have authenticated, so connections from unknown keys never hold one.
 */
final class InFlightStep implements Step {
    private final Semaphore permits;
    private final int max;

    InFlightStep(int max) {
        this.permits = new Semaphore(max);
        this.max = max;
    }

    int inFlight() {
        return max - permits.availablePermits();
    }

    @Override
    public ApiResponse apply(Exchange exchange, Chain next) throws Exception {
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
}
