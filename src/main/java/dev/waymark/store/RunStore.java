package dev.waymark.store;

import dev.waymark.domain.JourneyRun;
import java.util.Optional;

/** Runs of a journey. */
public interface RunStore {
    /** Stores a new run; a second run with the same journey and sequence number is refused by the schema. */
    void insert(JourneyRun run);

    /** Runs of one journey, oldest first (creation time, then run id). */
    Page<JourneyRun> list(String journeyId, Optional<PageCursor> after, int limit);
}
