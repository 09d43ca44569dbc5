package dev.waymark.auth;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * An access key pair and what it may do: everything (admin), or the listed apps, read-write or read-only. The
 * secret is kept as is: SigV4 needs it to recompute signatures, so the store must be protected like a key file.
 */
public record AccessKey(String id, String secret, boolean admin, Set<String> apps, boolean readOnly,
                        Instant createdAt, Optional<Instant> revokedAt) {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String SECRET_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /** A new key pair shaped like AWS's: a 20-character id and a 40-character secret. */
    public static AccessKey generate(boolean admin, Set<String> apps, boolean readOnly, Instant now) {
        return new AccessKey("WMK" + random(ID_ALPHABET, 17), random(SECRET_ALPHABET, 40), admin, Set.copyOf(apps),
                readOnly, now, Optional.empty());
    }

    public boolean revoked() {
        return revokedAt.isPresent();
    }

    /** What the key may do, in words, for listings. */
    public String scope() {
        if (admin) {
            return "admin";
        }
        return (readOnly ? "read-only" : "read-write") + " apps " + String.join(",", new java.util.TreeSet<>(apps));
    }

    private static String random(String alphabet, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
