package dev.waymark.engine;

import dev.waymark.engine.JourneyPlan.ClosedDay;
import dev.waymark.engine.JourneyPlan.MessageKind;
import dev.waymark.engine.JourneyPlan.OpenWindow;
import dev.waymark.engine.JourneyPlan.QuietTime;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * When a message may leave, in the endpoint's local time (engine.md E3): QuietTime (the journey's, else the app's),
 * and with SendingSchedule the channel's OpenHours and ClosedDays.
 *
 * <p>Each rule is a set of intervals of instants, built from local wall-clock times with {@link WallClockRules} (a
 * time in a daylight-saving gap begins or ends at the gap's end; one in an overlap at its first occurrence):
 * <ul>
 * <li>QuietTime Start-End: every night from Start to the next End (End before Start: across midnight); Start equal
 * to End is never quiet. Start is included, End is not: at 07:00 with End 07:00 a message leaves.</li>
 * <li>OpenHours of the channel, when it lists any day: a message leaves only inside a window of the local day;
 * a day the channel does not list is closed. A window whose EndTime is not after its StartTime runs to that time on
 * the next day (00:00 is midnight).</li>
 * <li>ClosedDays of the channel: from StartDateTime to EndDateTime, the end's minute included (23:59 closes the
 * whole day, as the console writes it).</li>
 * </ul>
 * The answer jumps from one interval's end to the next, never minute by minute.
 */
public final class SendingWindowRules {
    /** How far ahead an opening is searched; a schedule that never opens within it holds its messages this long. */
    static final Duration HORIZON = Duration.ofDays(400);
    /** Each step passes at least one interval's end; far more than 400 days of daily windows need. */
    private static final int MAX_STEPS = 100_000;

    private SendingWindowRules() {}

    /**
     * Empty when a message of {@code channel} may leave at {@code now} for an endpoint in {@code zone}; else the first
     * instant after {@code now} when it may (searched a bounded distance ahead; a schedule that never opens within it
     * answers the end of that distance).
     */
    public static Optional<Instant> blockedUntil(JourneyPlan plan, Optional<QuietTime> appQuietTime,
                                                 MessageKind channel, Instant now, ZoneId zone) {
        Optional<QuietTime> quiet = plan.quietTime().or(() -> appQuietTime);
        Map<DayOfWeek, List<OpenWindow>> openHours = plan.sendingSchedule()
                ? plan.openHours().getOrDefault(channel.name(), Map.of()) : Map.of();
        List<ClosedDay> closedDays = plan.sendingSchedule()
                ? plan.closedDays().getOrDefault(channel.name(), List.of()) : List.of();
        Instant horizon = now.plus(HORIZON);
        Instant at = now;
        for (int step = 0; step < MAX_STEPS && at.isBefore(horizon); step++) {
            Instant until = at;
            if (quiet.isPresent()) {
                until = later(until, quietUntil(quiet.get(), at, zone));
            }
            if (!openHours.isEmpty()) {
                until = later(until, closedUntil(openHours, at, zone, horizon));
            }
            until = later(until, closedDayUntil(closedDays, at, zone));
            if (until.equals(at)) {
                return at.equals(now) ? Optional.empty() : Optional.of(at);
            }
            at = until;
        }
        return Optional.of(at.isBefore(horizon) ? at : horizon);
    }

    private static Instant later(Instant current, Optional<Instant> candidate) {
        return candidate.filter(current::isBefore).orElse(current);
    }

    /** The end of the quiet period holding {@code at}, if one does. */
    private static Optional<Instant> quietUntil(QuietTime quiet, Instant at, ZoneId zone) {
        if (quiet.start().equals(quiet.end())) {
            return Optional.empty();
        }
        LocalDate today = LocalDate.ofInstant(at, zone);
        for (LocalDate day = today.minusDays(1); !day.isAfter(today); day = day.plusDays(1)) {
            Instant start = WallClockRules.firstAt(day.atTime(quiet.start()), zone);
            Instant end = end(day, quiet.start(), quiet.end(), zone);
            if (!at.isBefore(start) && at.isBefore(end)) {
                return Optional.of(end);
            }
        }
        return Optional.empty();
    }

    /** An interval's end: {@code end} on {@code day}, or on the next day when it is not after {@code start}. */
    private static Instant end(LocalDate day, LocalTime start, LocalTime end, ZoneId zone) {
        return WallClockRules.firstAt((end.isAfter(start) ? day : day.plusDays(1)).atTime(end), zone);
    }

    /**
     * Outside every open window: the start of the next one (the horizon when none comes within a week, as then
     * none ever will); inside one: empty.
     */
    private static Optional<Instant> closedUntil(Map<DayOfWeek, List<OpenWindow>> openHours, Instant at, ZoneId zone,
                                                 Instant horizon) {
        LocalDate today = LocalDate.ofInstant(at, zone);
        Instant next = null;
        for (LocalDate day = today.minusDays(1); !day.isAfter(today.plusDays(8)); day = day.plusDays(1)) {
            for (OpenWindow window : openHours.getOrDefault(day.getDayOfWeek(), List.of())) {
                Instant start = WallClockRules.firstAt(day.atTime(window.start()), zone);
                Instant end = end(day, window.start(), window.end(), zone);
                if (!at.isBefore(start) && at.isBefore(end)) {
                    return Optional.empty();
                }
                if (start.isAfter(at) && (next == null || start.isBefore(next))) {
                    next = start;
                }
            }
        }
        return Optional.of(next == null ? horizon : next);
    }

    /** The latest end of the ClosedDays ranges holding {@code at}, if any does. */
    private static Optional<Instant> closedDayUntil(List<ClosedDay> closedDays, Instant at, ZoneId zone) {
        Instant until = null;
        for (ClosedDay closed : closedDays) {
            Instant start = WallClockRules.firstAt(closed.start(), zone);
            Instant end = WallClockRules.firstAt(closed.end().truncatedTo(ChronoUnit.MINUTES).plusMinutes(1), zone);
            if (!at.isBefore(start) && at.isBefore(end) && (until == null || end.isAfter(until))) {
                until = end;
            }
        }
        return Optional.ofNullable(until);
    }
}
