package dev.waymark.messaging.render;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/**
 * How helpers read their arguments. A value may be a string, a number, a boolean, an attribute's list of values
 * (a helper that wants one value takes the first, as a bare reference prints it) or an object; missing is null.
 */
final class HelperArguments {
    /** Digits a number may have on either side of the point; beyond it a helper fails rather than build huge text. */
    static final int MAX_DIGITS = 400;
    /** The widest field center, ljust and rjust pad to. */
    static final int MAX_WIDTH = 10_000;

    private HelperArguments() {
    }

    /** The single value behind a reference: an attribute list's first value, else the value itself. */
    static Object single(Object value) {
        if (value instanceof List<?> list) {
            return list.isEmpty() ? null : single(list.get(0));
        }
        return value;
    }

    /** The value as text; empty when missing or an object. */
    static String text(Object value) {
        Object single = single(value);
        if (single == null || single instanceof Variables) {
            return "";
        }
        if (single instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        return single.toString();
    }

    /** The value as a decimal number, or a fault naming the helper and the argument. */
    static BigDecimal number(Object value, String helper, String argument) {
        Object single = single(value);
        BigDecimal number = null;
        if (single instanceof BigDecimal decimal) {
            number = decimal;
        } else if (single instanceof Integer || single instanceof Long || single instanceof Short
                || single instanceof Byte) {
            number = BigDecimal.valueOf(((Number) single).longValue());
        } else if (single instanceof BigInteger integer) {
            number = new BigDecimal(integer);
        } else if (single instanceof Number other && Double.isFinite(other.doubleValue())) {
            number = new BigDecimal(other.toString());
        } else if (single instanceof CharSequence text && text.length() > 0 && text.length() <= MAX_DIGITS) {
            try {
                number = new BigDecimal(text.toString().trim());
            } catch (NumberFormatException e) {
                number = null;
            }
        }
        if (number == null) {
            throw new TemplateFault(helper + ": " + argument + " must be a number, not '" + shown(single) + "'");
        }
        return bounded(number, helper);
    }

    /** A result of arithmetic, refused when it would print more than {@link #MAX_DIGITS} digits. */
    static BigDecimal bounded(BigDecimal number, String helper) {
        if (number.signum() != 0 && (number.precision() - number.scale() > MAX_DIGITS || number.scale() > MAX_DIGITS)) {
            throw new TemplateFault(helper + ": the number has more than " + MAX_DIGITS + " digits");
        }
        return number;
    }

    /** The value as a whole number from 0 to {@code max}, or a fault. */
    static int count(Object value, String helper, String argument, int max) {
        BigDecimal number = number(value, helper, argument);
        try {
            int whole = number.intValueExact();
            if (whole >= 0 && whole <= max) {
                return whole;
            }
        } catch (ArithmeticException e) {
            // not whole, or too large: the fault below
        }
        throw new TemplateFault(helper + ": " + argument + " must be a whole number from 0 to " + max + ", not '"
                + shown(single(value)) + "'");
    }

    /** The time zone a {@code tz} argument names; UTC when none is given. */
    static ZoneId zone(Object value, String helper) {
        String id = text(value);
        if (id.isEmpty()) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            throw new TemplateFault(helper + ": tz '" + shown(id) + "' is not a time zone ID such as America/Los_Angeles");
        }
    }

    /** A value quoted in a message, cut short so a fault never repeats a huge value. */
    static String shown(Object value) {
        String text = value == null ? "" : value instanceof Variables ? "(object)" : value.toString();
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
