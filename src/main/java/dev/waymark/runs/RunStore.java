package dev.waymark.runs;

import dev.waymark.store.PageCursor;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Runs of a journey. */
public interface RunStore {
    /**
     * One page of the runs of journey {@code journeyId} of app {@code appId}, oldest first, read in one statement
     * that also tells whether the app and the journey exist: the runs go to {@code rows} as they are read, and only
     * when the journey exists in that app.
     */
    RunPageRead readPage(String appId, String journeyId, Optional<PageCursor> after, int limit, RunRows rows);

    /** The run {@code runId} of journey {@code journeyId}; empty when that journey has no such run. */
    Optional<JourneyRun> find(String journeyId, String runId);

    /**
     * In one transaction that excludes every other writer of this journey: reads the journey and its runs, asks
     * {@code planner} what to do, applies the plan and records the next wake-up. Empty when the journey is gone.
     */
    Optional<RunPlan> reconcile(String journeyId, Function<RunsOfJourney, RunPlan> planner);

    /**
     * Records that planning the journey keeps failing for a reason of its own: no node's sweep looks at it again
     * until a change to the journey (which clears the mark). False when the journey is gone.
     */
    boolean park(String journeyId, Instant at);

    /** How many journeys are parked, on every node. */
    int parkedCount();

    /** Journeys whose wake-up time has come, earliest first; parked journeys are left out. */
    List<Wake> due(Instant now, int limit);
}
