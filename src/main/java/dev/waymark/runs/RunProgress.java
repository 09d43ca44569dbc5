package dev.waymark.runs;

import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * What the journey engine tells the run planner, read inside the planner's transaction: a RUNNING run completes only
 * once its entry is done (every endpoint it produced entered or was refused), and a CLOSED journey completes only
 * once no participant is left in it.
 */
public interface RunProgress {
    /** No engine: every entry is done at once and no journey has participants (the planner's tests). */
    RunProgress NONE = new RunProgress() {
        @Override
        public Set<String> unfinishedEntries(Handle handle, String journeyId) {
            return Set.of();
        }

        @Override
        public boolean hasParticipants(Handle handle, String journeyId) {
            return false;
        }
    };

    /** The runs of the journey whose entry is still in progress. */
    Set<String> unfinishedEntries(Handle handle, String journeyId);

    /** Whether any participant is still in the journey. */
    boolean hasParticipants(Handle handle, String journeyId);
}
