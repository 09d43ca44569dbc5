package dev.waymark.auth;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Access keys as the request path reads them: from the store, remembered for at most half a second, so that a key
 * created or revoked by {@code waymark keys} (even from another process) takes effect within a second.
 */
public final class KeyRing {
    private static final long TTL_NANOS = 500_000_000L;
    private static final int MAX_ENTRIES = 100_000;

    private record Entry(Optional<AccessKey> key, long loadedAt) {}

    private final Function<String, Optional<AccessKey>> loader;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

    /** {@code loader} reads a key by id from where keys are kept (the store's {@code find}). */
    public KeyRing(Function<String, Optional<AccessKey>> loader) {
        this.loader = loader;
    }

    public Optional<AccessKey> find(String id) {
        long now = System.nanoTime();
        Entry entry = cache.get(id);
        if (entry == null || now - entry.loadedAt() > TTL_NANOS) {
            if (cache.size() >= MAX_ENTRIES) {
                cache.clear();
            }
            entry = new Entry(loader.apply(id), now);
            cache.put(id, entry);
        }
        return entry.key();
    }
}
