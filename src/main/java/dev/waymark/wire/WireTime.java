package dev.waymark.wire;

import dev.waymark.error.ApiException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Times on the wire: UTC, milliseconds, {@code Z} ({@code 2026-11-23T07:17:50.000Z}). Written by hand for years
 * 1970 to 9999: a GetJourneyRuns page formats 200 of them, and DateTimeFormatter was the largest cost of the page.
 */
public final class WireTime {
    /** The same format as a DateTimeFormatter: the reference, and the path for other years. */
    public static final DateTimeFormatter ISO =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** The earliest and latest date-time a request may carry: years 1970 to 9999, as both stores hold them. */
    public static final Instant EARLIEST = Instant.EPOCH;
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    private WireTime() {}

    /**
     * A date-time member of a request: ISO 8601 with a zone, in years 1970 to 9999, else a BadRequestException
     * naming {@code path}.
     */
    public static Instant parseRequestTime(String text, String path) {
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException e) {
            throw ApiException.badRequest(path + " must be an ISO 8601 date-time with a zone, such as "
                    + "2026-01-01T00:00:00Z, not '" + shorten(text) + "'");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw ApiException.badRequest(path + " must be a date-time from 1970-01-01T00:00:00Z to "
                    + "9999-12-31T23:59:59.999Z, not '" + shorten(text) + "'");
        }
        return instant;
    }

    /** Whether {@code text} reads as an ISO 8601 date-time with a zone, whatever its year. */
    public static boolean isDateTime(String text) {
        try {
            OffsetDateTime.parse(text);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    private static String shorten(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "…" : text;
    }

    public static String format(Instant instant) {
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            // Outside what the fast path handles, and past what milliseconds since 1970 can hold near Instant.MAX.
            return ISO.format(instant);
        }
        long millis = instant.toEpochMilli();
        LocalDateTime time = LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000), 0, ZoneOffset.UTC);
        int year = time.getYear();
        char[] text = new char[24];
        digits(text, 0, year, 4);
        text[4] = '-';
        digits(text, 5, time.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, time.getDayOfMonth(), 2);
        text[10] = 'T';
        digits(text, 11, time.getHour(), 2);
        text[13] = ':';
        digits(text, 14, time.getMinute(), 2);
        text[16] = ':';
        digits(text, 17, time.getSecond(), 2);
        text[19] = '.';
        digits(text, 20, (int) Math.floorMod(millis, 1000), 3);
        text[23] = 'Z';
        return new String(text);
    }

    private static void digits(char[] text, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
