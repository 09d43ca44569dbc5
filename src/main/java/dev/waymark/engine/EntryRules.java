package dev.waymark.engine;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** When an endpoint enters a run with LocalTime (engine.md E1). */
public final class EntryRules {
    private EntryRules() {}

    /**
     * The instant the run's wall-clock start arrives in {@code zone}: the wall clock is {@code startTime} read at
     * {@code scheduleOffset} (Schedule.Timezone, UTC when absent); daylight saving through java.time (a wall clock
     * skipped by a gap enters at the gap's end; one repeated by an overlap enters at its first occurrence).
     */
    public static Instant localEntry(Instant startTime, ZoneOffset scheduleOffset, ZoneId zone) {
        return WallClockRules.firstAt(LocalDateTime.ofInstant(startTime, scheduleOffset), zone);
    }
}
