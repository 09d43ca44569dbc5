package dev.waymark.http;

import dev.waymark.error.ApiException;
import dev.waymark.error.ErrorType;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads one request body within bounds: at most {@code maxBytes} kept, bytes taken from the shared
 * {@link BodyBudget} as they arrive and before they are buffered (never for a length only declared), a minimum data rate after a grace period and a deadline for the
 * whole body (a client that trickles bytes holds a thread), and the SHA-256 computed as the bytes stream in.
 * A body that cannot be read (a bad chunk, a connection closed early) is the client's error: BadRequestException.
 */
final class BodyReader {
    static final int INITIAL_RESERVATION = 64 * 1024;

    private final Exchange exchange;
    private final Request request;
    private final BodySettings settings;
    private final BodyBudget budget;
    private final long maxBytes;
    private final MessageDigest digest;
    private final long startedAt = System.nanoTime();
    private byte[] buffer = new byte[0];
    private int length;
    private long received;
    private int reserved;
    private long declaredLength = -1;

    BodyReader(Exchange exchange, BodySettings settings, BodyBudget budget, long maxBytes) {
        this.exchange = exchange;
        this.maxBytes = maxBytes;
        this.request = exchange.request();
        this.settings = settings;
        this.budget = budget;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Reads the whole body; afterwards {@link #body()}, {@link #sha256Hex()}, and {@link #release()} once. */
    void read(long declaredLength) {
        if (declaredLength > maxBytes) {
            discard();
            throw tooLarge();
        }
        this.declaredLength = declaredLength;
        if (declaredLength > 0) {
            // Only a first slice up front: the rest is taken as bytes arrive, so a client that declares a large
            // body and sends nothing (a forger who knows a key id) holds little of the budget.
            int initial = (int) Math.min(declaredLength, INITIAL_RESERVATION);
            reserve(initial);
            buffer = new byte[initial];
        }
        while (true) {
            Content.Chunk chunk = next();
            try {
                if (Content.Chunk.isFailure(chunk)) {
                    throw unreadable(chunk.getFailure());
                }
                append(chunk.getByteBuffer());
                if (chunk.isLast()) {
                    return;
                }
            } finally {
                chunk.release();
            }
        }
    }

    /** The body; a copy to its exact length (when the buffer grew past it) is taken from the budget too. */
    byte[] body() {
        if (length == buffer.length) {
            return buffer;
        }
        reserve(length);
        return Arrays.copyOf(buffer, length);
    }

    String sha256Hex() {
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Gives the bytes back to the budget. */
    void release() {
        budget.giveBack(reserved);
        reserved = 0;
    }

    private void append(ByteBuffer bytes) {
        int count = bytes.remaining();
        if (count == 0) {
            return;
        }
        received += count;
        if (received > maxBytes) {
            discard();
            throw tooLarge();
        }
        if (length + count > buffer.length) {
            long ceiling = declaredLength > 0 ? Math.min(declaredLength, maxBytes) : maxBytes;
            int capacity = (int) Math.max(length + count, Math.min(ceiling, 2L * buffer.length + 1024));
            reserve(capacity - buffer.length);
            buffer = Arrays.copyOf(buffer, capacity);
        }
        ByteBuffer view = bytes.slice();
        digest.update(view.duplicate());
        view.get(buffer, length, count);
        length += count;
    }

    private void reserve(int count) {
        if (!budget.tryTake(count)) {
            exchange.setThrottleReason("body_memory");
            throw new ApiException(ErrorType.TOO_MANY_REQUESTS, "Waymark is busy: request bodies in progress hold "
                    + "its whole body memory (" + budget.total() + " bytes) already; retry shortly");
        }
        reserved += count;
    }

    /** The next chunk, waiting no longer than the deadline and the minimum data rate allow. */
    private Content.Chunk next() {
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk != null) {
                return chunk;
            }
            long waitNanos = allowedWaitNanos();
            CompletableFuture<Void> ready = new CompletableFuture<>();
            request.demand(() -> ready.complete(null));
            try {
                ready.get(Math.max(0, waitNanos), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                request.fail(new TimeoutException("request body too slow"));
                throw tooSlow();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unreadable(e);
            } catch (ExecutionException e) {
                throw unreadable(e.getCause());
            }
        }
    }

    /** Until the deadline, and until the bytes so far fall below the minimum rate (after the grace period). */
    private long allowedWaitNanos() {
        long now = System.nanoTime();
        long deadline = startedAt + settings.deadline().toNanos();
        long rateLimit = startedAt + settings.grace().toNanos()
                + (long) (received * 1_000_000_000d / settings.minBytesPerSecond());
        return Math.min(deadline, rateLimit) - now;
    }

    private void discard() {
        long discarded = 0;
        while (discarded < settings.maxDiscardBytes()) {
            Content.Chunk chunk;
            try {
                chunk = next();
            } catch (ApiException e) {
                return;
            }
            try {
                if (Content.Chunk.isFailure(chunk)) {
                    return;
                }
                discarded += chunk.remaining();
                if (chunk.isLast()) {
                    return;
                }
            } finally {
                chunk.release();
            }
        }
    }

    private ApiException tooLarge() {
        return new ApiException(ErrorType.PAYLOAD_TOO_LARGE,
                "The request body is larger than the limit of " + maxBytes + " bytes"
                        + (exchange.operationName().equals(Exchange.UNMATCHED) ? ""
                                : " for " + exchange.operationName()));
    }

    private ApiException tooSlow() {
        return ApiException.badRequest("The request body arrived too slowly (" + received + " bytes in "
                + (System.nanoTime() - startedAt) / 1_000_000 + " ms): Waymark needs at least "
                + settings.minBytesPerSecond() + " bytes a second after " + settings.grace().toSeconds()
                + " s, and the whole body within " + settings.deadline().toSeconds() + " s");
    }

    private static ApiException unreadable(Throwable cause) {
        return ApiException.badRequest("The request body could not be read: it is malformed or ended early ("
                + (cause == null ? "connection closed" : cause.getClass().getSimpleName()) + ")");
    }
}
