package dev.waymark.journeys;

/** The states a journey can be in, as Pinpoint names them. */
public enum JourneyState {
    DRAFT, ACTIVE, PAUSED, CLOSED, COMPLETED, CANCELLED;

    /** A final journey accepts no further state change. */
    public boolean isFinal() {
        return this == COMPLETED || this == CANCELLED;
    }

    /** Published journeys have their activities, start activity and start condition frozen. */
    public boolean isPublished() {
        return this == ACTIVE || this == PAUSED;
    }

    /** A journey that has stopped admitting endpoints can no longer be edited. */
    public boolean isFrozen() {
        return this == CLOSED || this == COMPLETED || this == CANCELLED;
    }
}
