package dev.waymark.engine;

/**
 * Deterministic random choices (engine.md E2): a hash of (journey, endpoint, entry number, activity), so that a
 * retried or recovered step takes the same path and a test can predict it.
 */
public final class ChoiceRules {
    private ChoiceRules() {}

    /** A number in [0, 100) for this participant at this activity, evenly spread. */
    public static double percentile(String journeyId, String endpointKey, int entry, String activityId) {
        throw new UnsupportedOperationException("helper A");
    }

    /** Holdout: whether the participant is held out (leaves) at {@code percentage} percent. */
    public static boolean heldOut(double percentile, int percentage) {
        throw new UnsupportedOperationException("helper A");
    }

    /** RandomSplit: the 0-based branch for {@code percentile} over branch percentages in definition order. */
    public static int branch(double percentile, java.util.List<Integer> percentages) {
        throw new UnsupportedOperationException("helper A");
    }
}
