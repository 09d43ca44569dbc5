package dev.waymark.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Access keys as the request path reads them: from the store, remembered for at most half a second, so that a key
 * created or revoked by {@code waymark keys} (even from another process) takes effect within a second.
 *
 * <p>Key ids come from unauthenticated clients, so each one is checked for the form of an access key id before it
 * costs a look-up, and what is remembered is bounded: found keys by count, ids that were not found by their weight
 * in characters (a flood of random ids only ever evicts other random ids).
 */
public final class KeyRing {
    /** AWS's form of an access key id (16–128 word characters), loosened to ids as short as AWS's "AKIDEXAMPLE". */
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9]{1,128}");
    private static final Duration TTL = Duration.ofMillis(500);
    private static final long MAX_MISS_CHARS = 1_000_000;

    private final Function<String, Optional<AccessKey>> loader;
    private final Cache<String, AccessKey> found = Caffeine.newBuilder().expireAfterWrite(TTL)
            .maximumSize(10_000).build();
    private final Cache<String, Boolean> missing = Caffeine.newBuilder().expireAfterWrite(TTL)
            .maximumWeight(MAX_MISS_CHARS).weigher((String id, Boolean unused) -> id.length() + 32).build();
    /**
     * Ids that signed a request correctly in the last ten minutes: an address that keeps failing with unknown ids may
     * still use these. Only a correct signature renews an entry (a failed attempt reads it, and reading does not).
     */
    private final Cache<String, Boolean> provenIds = Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(10))
            .maximumSize(10_000).build();

    /** {@code loader} reads a key by id from where keys are kept (the store's {@code find}). */
    public KeyRing(Function<String, Optional<AccessKey>> loader) {
        this.loader = loader;
    }

    /** Whether {@code id} has the form of an access key id; anything else is refused before any look-up. */
    public static boolean wellFormed(String id) {
        return KEY_ID.matcher(id).matches();
    }

    public Optional<AccessKey> find(String id) {
        if (!wellFormed(id)) {
            return Optional.empty();
        }
        AccessKey key = found.getIfPresent(id);
        if (key != null) {
            return Optional.of(key);
        }
        if (missing.getIfPresent(id) != null) {
            return Optional.empty();
        }
        Optional<AccessKey> loaded = loader.apply(id);
        if (loaded.isPresent()) {
            found.put(id, loaded.get());
        } else {
            missing.put(id, Boolean.TRUE);
        }
        return loaded;
    }

    /** Remembers that {@code id} signed a request correctly. */
    void proven(String id) {
        provenIds.put(id, Boolean.TRUE);
    }

    /** Whether {@code id} signed a request correctly in the last ten minutes. */
    boolean isProven(String id) {
        return provenIds.getIfPresent(id) != null;
    }

    /** How many ids that were not found are remembered, for tests. */
    long rememberedMisses() {
        missing.cleanUp();
        return missing.estimatedSize();
    }
}
