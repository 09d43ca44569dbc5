package dev.waymark.runs;

import java.time.Instant;

/** One change the run planner decided for a journey's runs. */
public sealed interface RunChange {

    /** A new SCHEDULED run. */
    record Create(JourneyRun run) implements RunChange {}

    /** A status change: SCHEDULED to RUNNING, RUNNING to COMPLETED, or either to CANCELLED. */
    record ChangeStatus(JourneyRun run, RunStatus to, Instant at) implements RunChange {}

    /** A SCHEDULED run moves to another start time (the journey's schedule changed). */
    record Reschedule(JourneyRun run, Instant to) implements RunChange {}

    /** A SCHEDULED run that will never start any more (no refresh, or past EndTime) is taken back. */
    record Withdraw(JourneyRun run) implements RunChange {}
}
