package dev.waymark.runs;

/** The status of one journey run, as GetJourneyRuns reports it. */
public enum RunStatus {
    SCHEDULED, RUNNING, COMPLETED, CANCELLED;

    /**
     * A run in a final status never changes again: no planner rule moves it, and only its journey's deletion
     * removes it.
     */
    public boolean isFinal() {
        return this == COMPLETED || this == CANCELLED;
    }
}
