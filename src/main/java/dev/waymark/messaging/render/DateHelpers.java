package dev.waymark.messaging.render;

import com.github.jknack.handlebars.Helper;
import com.github.jknack.handlebars.Options;
import java.text.DateFormat;
import java.text.ParsePosition;
import java.text.SimpleDateFormat;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

/**
 * {@code dateFormat} and {@code now}. Formats are Pinpoint's: {@code full}, {@code long}, {@code medium} (the
 * default), {@code short}, or a Java SimpleDateFormat pattern, in US English; {@code tz} is a time zone ID (UTC when
 * absent). The current time comes from the injected clock.
 */
final class DateHelpers {
    private static final Map<String, Integer> STYLES = Map.of(
            "full", DateFormat.FULL, "long", DateFormat.LONG, "medium", DateFormat.MEDIUM, "short", DateFormat.SHORT);

    private DateHelpers() {
    }

    static Map<String, Helper<Object>> helpers(Clock clock) {
        return Map.of(
                "dateFormat", DateHelpers::dateFormat,
                "now", (context, options) -> {
                    // {{now}} has no parameter: Handlebars then passes the current context, not a format.
                    Object format = options.hash("format", context instanceof CharSequence ? context : null);
                    return format(Date.from(clock.instant()), format, HelperArguments.zone(options.hash("tz"),
                            "now"), "now");
                });
    }

    /** {@code {{dateFormat date [inputFormat=] [outputFormat=] [tz=]}}}; a missing date prints nothing. */
    private static Object dateFormat(Object value, Options options) {
        String text = HelperArguments.text(value).strip();
        if (text.isEmpty()) {
            return "";
        }
        ZoneId zone = HelperArguments.zone(options.hash("tz"), "dateFormat");
        Object output = options.hash("outputFormat", options.params.length > 0 ? options.params[0] : null);
        return format(parse(text, HelperArguments.text(options.hash("inputFormat")), zone), output, zone,
                "dateFormat");
    }

    /** The date: by the input pattern when given (read in the zone), else ISO 8601 or milliseconds since 1970. */
    private static Date parse(String text, String pattern, ZoneId zone) {
        if (!pattern.isEmpty()) {
            SimpleDateFormat format = pattern(pattern, "dateFormat", "inputFormat");
            format.setLenient(false);
            format.setTimeZone(TimeZone.getTimeZone(zone));
            ParsePosition position = new ParsePosition(0);
            Date date = format.parse(text, position);
            if (date == null || position.getIndex() != text.length()) {
                throw unreadable(text, "does not match inputFormat '" + HelperArguments.shown(pattern) + "'");
            }
            return date;
        }
        if (text.length() > 64) {
            throw unreadable(text, "is too long to be a date");
        }
        try {
            if (text.chars().allMatch(Character::isDigit) && text.length() <= 15) {
                return new Date(Long.parseLong(text));
            }
            if (text.length() <= 10) {
                return Date.from(LocalDate.parse(text).atStartOfDay(zone).toInstant());
            }
            if (text.endsWith("Z") || text.endsWith("z")) {
                return Date.from(Instant.parse(text.toUpperCase(Locale.ROOT)));
            }
            if (text.matches(".*[+-]\\d\\d:?\\d\\d$")) {
                return Date.from(OffsetDateTime.parse(text).toInstant());
            }
            return Date.from(LocalDateTime.parse(text).atZone(zone).toInstant());
        } catch (DateTimeException | NumberFormatException | ArithmeticException e) {
            throw unreadable(text, "is not an ISO 8601 date; give inputFormat= to read it");
        }
    }

    private static String format(Date date, Object format, ZoneId zone, String helper) {
        String name = HelperArguments.text(format);
        Integer style = STYLES.get(name.isEmpty() ? "medium" : name);
        DateFormat formatter = style != null ? DateFormat.getDateInstance(style, Locale.US)
                : pattern(name, helper, "the format");
        formatter.setTimeZone(TimeZone.getTimeZone(zone));
        return formatter.format(date);
    }

    private static SimpleDateFormat pattern(String pattern, String helper, String argument) {
        try {
            return new SimpleDateFormat(pattern, Locale.US);
        } catch (IllegalArgumentException e) {
            throw new TemplateFault(helper + ": " + argument + " '" + HelperArguments.shown(pattern)
                    + "' is not full, long, medium, short or a date pattern: " + e.getMessage());
        }
    }

    private static TemplateFault unreadable(String text, String why) {
        return new TemplateFault("dateFormat: the date '" + HelperArguments.shown(text) + "' " + why);
    }
}
