package dev.waymark.segments;

import java.time.Year;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one spelling of an instant that date dimensions (BEFORE, AFTER, ON, BETWEEN) accept, in definitions and in
 * attribute values: {@code YYYY-MM-DDTHH:MM:SS}, an optional fraction of 1 to 9 digits, then {@code Z} (ISO_INSTANT in
 * UTC, upper-case T and Z, no offset), with a real calendar date and hours 00–23, minutes and seconds 00–59. Such an
 * instant's {@link #key} (the first 19 characters, then the fraction padded to 9 digits) orders exactly as the
 * instants do, which is how the SQL compares them too: no database date parsing, so no leniency to match and no cast
 * that can fail.
 */
final class IsoInstants {
    /** The shape, before the ranges of the fields are checked. */
    static final Pattern SHAPE = Pattern.compile(
            "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?Z");
    /** {@link #SHAPE} for PostgreSQL's {@code ~} (no {@code ?}, which JDBC drivers may take for a parameter). */
    static final String SHAPE_POSIX = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9}){0,1}Z$";
    /** The shape without a fraction, as a SQLite GLOB. */
    static final String WHOLE_GLOB = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z";
    /** The shape with a fraction, as a SQLite GLOB (the fraction's digits are checked apart). */
    static final String FRACTION_GLOB =
            "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9]*Z";

    private IsoInstants() {}

    /** The comparable key of an instant spelled as this class accepts, or empty for any other text. */
    static Optional<String> key(String text) {
        if (text == null || !SHAPE.matcher(text).matches()) {
            return Optional.empty();
        }
        int year = Integer.parseInt(text.substring(0, 4));
        int month = Integer.parseInt(text.substring(5, 7));
        int day = Integer.parseInt(text.substring(8, 10));
        if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)
                || Integer.parseInt(text.substring(11, 13)) > 23 || Integer.parseInt(text.substring(14, 16)) > 59
                || Integer.parseInt(text.substring(17, 19)) > 59) {
            return Optional.empty();
        }
        String fraction = text.length() == 20 ? "" : text.substring(20, text.length() - 1);
        return Optional.of(text.substring(0, 19) + (fraction + "000000000").substring(0, 9));
    }

    /** The UTC calendar date (YYYY-MM-DD) of a key. */
    static String date(String key) {
        return key.substring(0, 10);
    }

    private static int daysIn(int year, int month) {
        return switch (month) {
            case 2 -> Year.isLeap(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }
}
