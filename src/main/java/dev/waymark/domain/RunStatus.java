package dev.waymark.domain;

/** The status of one journey run, as GetJourneyRuns reports it. */
public enum RunStatus {
    SCHEDULED, RUNNING, COMPLETED, CANCELLED
}
