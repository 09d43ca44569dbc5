package dev.waymark.journeys;

import dev.waymark.rules.RuleViolation;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ISO 8601 durations as journeys use them: days, hours, minutes, seconds ({@code P1DT2H}) and weeks ({@code P2W}).
 * Calendar months and years are refused, because their length depends on the date they are counted from.
 */
public final class IsoDurations {
    /** The longest a Pinpoint journey lasts; no interval of a journey can usefully be longer. */
    public static final Duration LONGEST_JOURNEY = Duration.ofDays(540);

    private static final Pattern WEEKS = Pattern.compile("P(\\d+)W");
    private static final Pattern CALENDAR = Pattern.compile("P(\\d+Y)?(\\d+M)?(\\d+D)?(T.*)?");
    /** Weeks beyond this many digits cannot be a usable duration; checked before any arithmetic. */
    private static final int MAX_WEEK_DIGITS = 12;

    private IsoDurations() {}

    /** The duration, or a BadRequestException naming {@code member}; any length that fits a Duration. */
    public static Duration parse(String value, String member) {
        return parse(value, member, null);
    }

    /** As {@link #parse}, and at most {@code longest}: a longer one is refused with a message naming the bound. */
    public static Duration parseAtMost(String value, String member, Duration longest) {
        return parse(value, member, longest);
    }

    private static Duration parse(String value, String member, Duration longest) {
        String tooLong = longest == null ? "is far too long" : "must be at most " + describe(longest);
        Duration duration;
        Matcher weeks = WEEKS.matcher(value);
        if (weeks.matches()) {
            if (weeks.group(1).length() > MAX_WEEK_DIGITS) {
                throw refused(member, value, tooLong);
            }
            duration = Duration.ofDays(Math.multiplyExact(7L, Long.parseLong(weeks.group(1))));
        } else {
            try {
                duration = Duration.parse(value);
            } catch (DateTimeParseException e) {
                if (e.getCause() instanceof ArithmeticException || e.getCause() instanceof NumberFormatException) {
                    throw refused(member, value, tooLong);
                }
                Matcher calendar = CALENDAR.matcher(value);
                String hint = calendar.matches() && (calendar.group(1) != null || calendar.group(2) != null)
                        ? "; calendar months and years are not supported, use days or weeks" : "";
                throw new RuleViolation(member + " must be an ISO 8601 duration such as PT1H, P1D or P1W, "
                        + "not '" + shorten(value) + "'" + hint);
            }
        }
        if (longest != null && duration.compareTo(longest) > 0) {
            throw refused(member, value, tooLong);
        }
        return duration;
    }

    private static String describe(Duration longest) {
        return longest.equals(LONGEST_JOURNEY) ? "P540D (540 days, the longest a journey lasts)" : longest.toString();
    }

    private static RuleViolation refused(String member, String value, String rule) {
        return new RuleViolation(member + " " + rule + ", not '" + shorten(value) + "'");
    }

    /** A value as quoted in a message: a client may send megabytes of it. */
    private static String shorten(String value) {
        return value.length() > 64 ? value.substring(0, 64) + "…" : value;
    }
}
