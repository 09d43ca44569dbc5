package dev.waymark.engine;

/**
 * Reads a stored journey definition (WriteJourneyRequest JSON, as the journeys store holds it) into a
 * {@link JourneyPlan}. Stored definitions were validated when written, but may predate today's rules (an import, an
 * older Waymark): what cannot be executed is an {@link UnreadablePlanException}, never a silent guess.
 */
public final class JourneyPlanReader {
    private JourneyPlanReader() {}

    /** The plan of journey {@code journeyId} (row version {@code version}) of app {@code appId}. */
    public static JourneyPlan read(String appId, String journeyId, long version, String definitionJson) {
        throw new UnsupportedOperationException("helper A");
    }

    /** A stored definition the engine cannot execute; the message names the member. */
    public static final class UnreadablePlanException extends RuntimeException {
        public UnreadablePlanException(String message) {
            super(message);
        }
    }
}
