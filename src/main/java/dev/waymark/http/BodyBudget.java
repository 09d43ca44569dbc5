package dev.waymark.http;

import java.util.concurrent.Semaphore;

/**
 * One budget of bytes for every request body held in memory at once, so that many large bodies together cannot
 * exhaust the heap: a body that does not fit is refused (TooManyRequestsException, which the SDKs retry).
 */
final class BodyBudget {
    private final Semaphore bytes;
    private final int total;

    BodyBudget(int totalBytes) {
        this.total = totalBytes;
        this.bytes = new Semaphore(totalBytes);
    }

    boolean tryTake(int count) {
        return bytes.tryAcquire(count);
    }

    void giveBack(int count) {
        if (count > 0) {
            bytes.release(count);
        }
    }

    int total() {
        return total;
    }

    int inUse() {
        return total - bytes.availablePermits();
    }
}
