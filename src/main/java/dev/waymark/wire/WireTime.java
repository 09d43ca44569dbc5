package dev.waymark.wire;

import dev.waymark.error.ApiException;
import java.time.DateTimeException;
import java.time.Instant;
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
    /** Characters of a wire time. */
    public static final int LENGTH = 24;
    /** Milliseconds of 0000-01-01T00:00:00Z and of 10000-01-01T00:00:00Z, the range formatted by hand. */
    private static final long FIRST_MILLIS = -62_167_219_200_000L;
    private static final long END_MILLIS = 253_402_300_800_000L;

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
            // Past what milliseconds since 1970 can hold near Instant.MAX: only the formatter writes those.
            return ISO.format(instant);
        }
        char[] text = new char[LENGTH];
        return format(instant.toEpochMilli(), text) == LENGTH ? new String(text) : ISO.format(instant);
    }

    /**
     * Writes the wire time of {@code millis} into {@code text} (at least {@link #LENGTH} long) and returns its
     * length, or returns 0 for a year outside 0 to 9999, which only {@link #ISO} writes.
     */
    public static int format(long millis, char[] text) {
        if (millis < FIRST_MILLIS || millis >= END_MILLIS) {
            return 0;
        }
        long days = Math.floorDiv(millis, 86_400_000L);
        int millisOfDay = (int) Math.floorMod(millis, 86_400_000L);
        // Civil date from days since 1970-01-01 (H. Hinnant's days_from_civil inverse), without a LocalDateTime.
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        int dayOfEra = (int) (z - era * 146_097);
        int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        int shiftedMonth = (5 * dayOfYear + 2) / 153;
        int day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1;
        int month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
        int year = (int) (yearOfEra + era * 400) + (month <= 2 ? 1 : 0);
        digits(text, 0, year, 4);
        text[4] = '-';
        digits(text, 5, month, 2);
        text[7] = '-';
        digits(text, 8, day, 2);
        text[10] = 'T';
        digits(text, 11, millisOfDay / 3_600_000, 2);
        text[13] = ':';
        digits(text, 14, millisOfDay / 60_000 % 60, 2);
        text[16] = ':';
        digits(text, 17, millisOfDay / 1000 % 60, 2);
        text[19] = '.';
        digits(text, 20, millisOfDay % 1000, 3);
        text[23] = 'Z';
        return LENGTH;
    }

    private static void digits(char[] text, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
