package dev.waymark.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Deterministic random choices (engine.md E2): a hash of (journey, endpoint, entry number, activity), so that a
 * retried or recovered step takes the same path and a test can predict it.
 */
public final class ChoiceRules {
    /** 2^53: the doubles in [0, 1) with an even spacing, from the top 53 bits of the hash. */
    private static final double TWO_TO_53 = 9007199254740992.0;
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    });

    private ChoiceRules() {}

    /**
     * A number in [0, 100) for this participant at this activity, evenly spread. Each string is prefixed by its
     * length, so that ("ab", "c") and ("a", "bc") hash apart; SHA-256 so that the value is the same on every node and
     * every Java version, and no choice of ids can bias it.
     */
    public static double percentile(String journeyId, String endpointKey, int entry, String activityId) {
        MessageDigest digest = SHA_256.get();
        digest.reset();
        update(digest, journeyId);
        update(digest, endpointKey);
        digest.update(ByteBuffer.allocate(4).putInt(entry).array());
        update(digest, activityId);
        long top = ByteBuffer.wrap(digest.digest()).getLong() >>> 11;
        // top < 2^53, so the product is below 100 even after rounding.
        return Math.min(top / TWO_TO_53 * 100.0, Math.nextDown(100.0));
    }

    private static void update(MessageDigest digest, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        digest.update(bytes);
    }

    /** Holdout: whether the participant is held out (leaves) at {@code percentage} percent. */
    public static boolean heldOut(double percentile, int percentage) {
        return percentile < percentage;
    }

    /**
     * RandomSplit: the 0-based branch for {@code percentile} over branch percentages in definition order: the first
     * branch whose cumulative percentage exceeds the percentile. Percentages adding up to less than 100 send the
     * rest to the last branch (published journeys add up to exactly 100; this only decides an older definition).
     */
    public static int branch(double percentile, List<Integer> percentages) {
        if (percentages.isEmpty()) {
            throw new IllegalArgumentException("a RandomSplit has at least one branch");
        }
        int cumulative = 0;
        for (int i = 0; i < percentages.size(); i++) {
            cumulative += percentages.get(i);
            if (percentile < cumulative) {
                return i;
            }
        }
        return percentages.size() - 1;
    }
}
