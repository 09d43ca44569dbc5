package dev.waymark.domain;

import dev.waymark.error.ApiException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ISO 8601 durations as journeys use them: days, hours, minutes, seconds ({@code P1DT2H}) and weeks ({@code P2W}).
 * Calendar months and years are refused, because their length depends on the date they are counted from.
 */
public final class IsoDurations {
    private static final Pattern WEEKS = Pattern.compile("P(\\d{1,6})W");
    private static final Pattern CALENDAR = Pattern.compile("P(\\d+Y)?(\\d+M)?(\\d+D)?(T.*)?");

    private IsoDurations() {}

    /** The duration, or a BadRequestException naming {@code member}. */
    public static Duration parse(String value, String member) {
        Matcher weeks = WEEKS.matcher(value);
        if (weeks.matches()) {
            return Duration.ofDays(7L * Integer.parseInt(weeks.group(1)));
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            Matcher calendar = CALENDAR.matcher(value);
            String hint = calendar.matches() && (calendar.group(1) != null || calendar.group(2) != null)
                    ? "; calendar months and years are not supported, use days or weeks" : "";
            throw ApiException.badRequest(member + " must be an ISO 8601 duration such as PT1H, P1D or P1W, not '"
                    + value + "'" + hint);
        }
    }
}
