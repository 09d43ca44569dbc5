package dev.waymark.audience;

import dev.waymark.error.ApiException;
import dev.waymark.error.ErrorType;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The writes of one app's endpoints on this node, one after the other, queued before they take a database
 * connection. The database serialises them anyway (SQLite's single writer, PostgreSQL's advisory lock per app), but
 * a writer that waits there holds a pooled connection: 64 concurrent batches for one app emptied PostgreSQL's pool of
 * 16 and the rest failed. Here they wait without one, and at most one per app and node waits in the database.
 */
final class AppWriteQueue {
    /** Apps share a lock only when their hashes meet modulo this; a shared lock only orders two apps' writes. */
    private static final int STRIPES = 64;
    /** A write queued longer than this is refused as throttled, which every SDK retries with back-off. */
    private static final long WAIT_MS = 20_000;

    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    AppWriteQueue() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock(true);
        }
    }

    /** Runs {@code write} when the app's earlier writes on this node are done. */
    <T> T run(String appId, Supplier<T> write) {
        ReentrantLock lock = locks[Math.floorMod(appId.hashCode(), STRIPES)];
        try {
            if (!lock.tryLock(WAIT_MS, TimeUnit.MILLISECONDS)) {
                throw new ApiException(ErrorType.TOO_MANY_REQUESTS, "Too many concurrent writes to the endpoints of app "
                        + appId + "; retry later");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorType.TOO_MANY_REQUESTS, "Interrupted while waiting to write endpoints");
        }
        try {
            return write.get();
        } finally {
            lock.unlock();
        }
    }
}
