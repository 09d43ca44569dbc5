package dev.waymark.journeys;

import dev.waymark.rules.RuleConflict;
import dev.waymark.rules.RuleViolation;

/**
 * Which journey state changes are allowed, through UpdateJourneyState and through the {@code State} member of
 * CreateJourney and UpdateJourney. Every refusal names the current and the requested state.
 */
public final class JourneyStateMachine {
    private JourneyStateMachine() {}

    /** The effect of UpdateJourneyState; {@code refreshes} says whether the journey has a RefreshFrequency. */
    public static Transition changeState(JourneyState current, JourneyState requested, boolean refreshes) {
        switch (requested) {
            case ACTIVE:
                if (current == JourneyState.DRAFT) {
                    return Transition.PUBLISH;
                }
                if (current == JourneyState.PAUSED) {
                    return Transition.RESUME;
                }
                break;
            case PAUSED:
                if (current == JourneyState.ACTIVE) {
                    if (!refreshes) {
                        throw new RuleViolation("Cannot change the journey state from ACTIVE to PAUSED: "
                                + "only a journey with a RefreshFrequency can be paused");
                    }
                    return Transition.PAUSE;
                }
                break;
            case CANCELLED:
                if (!current.isFinal()) {
                    return Transition.CANCEL;
                }
                break;
            default:
                throw new RuleViolation("State must be ACTIVE, PAUSED or CANCELLED in UpdateJourneyState, not "
                        + requested);
        }
        throw new RuleViolation("Cannot change the journey state from " + current + " to " + requested);
    }

    /** The state a new journey starts in, from the {@code State} member of CreateJourney (null when absent). */
    public static JourneyState stateOnCreate(JourneyState requested) {
        if (requested == null || requested == JourneyState.DRAFT || requested == JourneyState.ACTIVE) {
            return requested == null ? JourneyState.DRAFT : requested;
        }
        throw new RuleViolation("State must be DRAFT or ACTIVE when a journey is created, not " + requested
                + "; use UpdateJourneyState for other states");
    }

    /** The state after UpdateJourney, from the current state and the {@code State} member (null when absent). */
    public static JourneyState stateOnUpdate(JourneyState current, JourneyState requested) {
        if (current.isFrozen()) {
            throw new RuleConflict("A " + current + " journey cannot be updated");
        }
        if (requested == null || requested == current) {
            return current;
        }
        if (requested != JourneyState.DRAFT && requested != JourneyState.ACTIVE) {
            throw new RuleViolation("State must be DRAFT or ACTIVE in UpdateJourney, not " + requested
                    + "; use UpdateJourneyState for other states");
        }
        if (current == JourneyState.DRAFT && requested == JourneyState.ACTIVE) {
            return JourneyState.ACTIVE;
        }
        throw new RuleViolation("Cannot change the journey state from " + current + " to " + requested
                + " with UpdateJourney" + (current == JourneyState.PAUSED ? "; resume it with UpdateJourneyState" : ""));
    }
}
