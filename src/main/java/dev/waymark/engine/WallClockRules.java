package dev.waymark.engine;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;

/** Wall-clock times of a zone as instants, daylight saving included. */
final class WallClockRules {
    private WallClockRules() {}

    /**
     * The first instant at which the wall clock of {@code zone} reads {@code wall} or later: in a gap (the clock
     * jumps over {@code wall}) the gap's end, not java.time's shift by the gap's length (02:30 on a day that goes
     * from 02:00 to 03:00 is 03:00, the first moment the clock is past 02:30); in an overlap the first occurrence.
     */
    static Instant firstAt(LocalDateTime wall, ZoneId zone) {
        ZoneOffsetTransition transition = zone.getRules().getTransition(wall);
        if (transition != null && transition.isGap()) {
            return transition.getInstant();
        }
        return ZonedDateTime.ofLocal(wall, zone, null).toInstant();
    }
}
