package dev.waymark.analytics;

import dev.waymark.rules.RuleViolation;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The date range of a KPI query, as Pinpoint documents it: {@code start-time} and {@code end-time} in ISO 8601 with
 * a zone, inclusive; without them the preceding 31 calendar days up to now; at most 31 calendar days; a start
 * fewer than 90 days before now (analytics are kept 90 days).
 */
final class KpiRangeRules {
    static final int MAX_CALENDAR_DAYS = 31;
    static final Duration RETENTION = Duration.ofDays(90);
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    /** The inclusive range a query counts over. */
    record Range(Instant start, Instant end) {}

    private KpiRangeRules() {}

    static Range resolve(Optional<String> startTime, Optional<String> endTime, Instant now) {
        Instant end = endTime.map(text -> parse(text, "end-time")).orElse(now);
        Instant start = startTime.map(text -> parse(text, "start-time")).orElseGet(() -> LocalDate
                .ofInstant(end, ZoneOffset.UTC).minusDays(MAX_CALENDAR_DAYS - 1).atStartOfDay(ZoneOffset.UTC)
                .toInstant());
        if (start.isAfter(end)) {
            throw new RuleViolation("start-time (" + start + ") must not be after end-time (" + end + ")");
        }
        if (!start.isAfter(now.minus(RETENTION))) {
            throw new RuleViolation("start-time must be fewer than 90 days before now: analytics are kept 90 days, "
                    + "and " + start + " is older");
        }
        long days = ChronoUnit.DAYS.between(LocalDate.ofInstant(start, ZoneOffset.UTC),
                LocalDate.ofInstant(end, ZoneOffset.UTC)) + 1;
        if (days > MAX_CALENDAR_DAYS) {
            throw new RuleViolation("The range from start-time to end-time spans " + days + " calendar days; a KPI "
                    + "query covers at most " + MAX_CALENDAR_DAYS);
        }
        return new Range(start, end);
    }

    private static Instant parse(String text, String parameter) {
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException e) {
            String shown = text.length() > 64 ? text.substring(0, 64) + "…" : text;
            throw new RuleViolation(parameter + " must be an ISO 8601 date-time in UTC, such as "
                    + "2019-07-19T20:00:00Z, not '" + shown + "'");
        }
        // OffsetDateTime reads years up to 999,999,999, past what the event log's milliseconds since 1970 can hold.
        if (instant.isAfter(LATEST)) {
            throw new RuleViolation(parameter + " must be no later than 9999-12-31T23:59:59Z, not " + instant);
        }
        return instant;
    }
}
