package dev.waymark.messaging.render;

import static dev.waymark.messaging.render.HelperArguments.text;

import com.github.jknack.handlebars.Helper;
import com.github.jknack.handlebars.Options;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pinpoint's string helpers (the dates are {@link DateHelpers}). Written here rather than taken from Handlebars.java,
 * whose helpers of these names differ from Pinpoint's documentation: its {@code ljust}/{@code rjust} take
 * {@code size=} where Pinpoint passes the width as a parameter, its {@code slugify} drops digits, its
 * {@code substring} fails on a width read from an attribute, and a missing value prints the first parameter.
 * Here a missing value is empty text, widths are bounded and every failure names the helper.
 */
final class StringHelpers {
    private StringHelpers() {
    }

    static Map<String, Helper<Object>> helpers() {
        Map<String, Helper<Object>> helpers = new HashMap<>();
        helpers.put("abbreviate", StringHelpers::abbreviate);
        helpers.put("capitalize", (value, options) -> capitalize(text(value), Boolean.TRUE.equals(
                options.hash("fully"))));
        helpers.put("capitalizeFirst", (value, options) -> capitalizeFirst(text(value)));
        helpers.put("center", (value, options) -> pad(text(value), width("center", options, "size"),
                padding(options), true, true));
        helpers.put("cut", (value, options) -> {
            String cut = options.params.length > 0 ? text(options.params[0]) : " ";
            return cut.isEmpty() ? text(value) : text(value).replace(cut, "");
        });
        helpers.put("inflect", StringHelpers::inflect);
        helpers.put("join", StringHelpers::join);
        helpers.put("ljust", (value, options) -> pad(text(value), width("ljust", options, "size"),
                padding(options), false, true));
        helpers.put("rjust", (value, options) -> pad(text(value), width("rjust", options, "size"),
                padding(options), true, false));
        helpers.put("lower", (value, options) -> text(value).toLowerCase(Locale.ROOT));
        helpers.put("upper", (value, options) -> text(value).toUpperCase(Locale.ROOT));
        helpers.put("ordinalize", StringHelpers::ordinalize);
        helpers.put("replace", StringHelpers::replace);
        helpers.put("slugify", (value, options) -> slugify(text(value)));
        helpers.put("stripTags", (value, options) -> stripTags(text(value)));
        helpers.put("substring", StringHelpers::substring);
        helpers.put("yesno", StringHelpers::yesno);
        return helpers;
    }

    /** {@code {{abbreviate value width}}}: at most width characters, the last three "..." when cut. */
    private static Object abbreviate(Object value, Options options) {
        String text = text(value);
        int width = HelperArguments.count(options.param(0, null), "abbreviate", "the width", Integer.MAX_VALUE);
        if (text.length() <= width) {
            return text;
        }
        if (width < 4) {
            throw new TemplateFault("abbreviate: the width must be at least 4 to leave room for '...'");
        }
        return text.substring(0, width - 3) + "...";
    }

    /** Each word (after whitespace) with its first letter in upper case; {@code fully=true} lowers the rest. */
    static String capitalize(String text, boolean fully) {
        StringBuilder out = new StringBuilder(text.length());
        boolean start = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                start = true;
                out.append(c);
            } else {
                out.append(start ? Character.toTitleCase(c) : fully ? Character.toLowerCase(c) : c);
                start = false;
            }
        }
        return out.toString();
    }

    private static String capitalizeFirst(String text) {
        return text.isEmpty() ? text : Character.toTitleCase(text.charAt(0)) + text.substring(1);
    }

    /** The field width: the first parameter (Pinpoint's ljust/rjust) or the hash member (center's size=). */
    private static int width(String helper, Options options, String hashName) {
        Object width = options.params.length > 0 ? options.params[0] : options.hash(hashName);
        if (width == null) {
            throw new TemplateFault(helper + ": give the width, e.g. {{" + helper + " value 20}} or " + hashName
                    + "=20");
        }
        return HelperArguments.count(width, helper, "the width", HelperArguments.MAX_WIDTH);
    }

    private static String padding(Options options) {
        String pad = text(options.hash("pad", " "));
        return pad.isEmpty() ? " " : pad;
    }

    /** The text padded on the left, the right or both (the extra character right) to {@code width}. */
    private static String pad(String text, int width, String pad, boolean left, boolean right) {
        int missing = width - text.length();
        if (missing <= 0) {
            return text;
        }
        int before = left && right ? missing / 2 : left ? missing : 0;
        StringBuilder out = new StringBuilder(width);
        repeat(out, pad, before);
        out.append(text);
        repeat(out, pad, missing - before);
        return out.toString();
    }

    private static void repeat(StringBuilder out, String pad, int length) {
        for (int i = 0; i < length; i++) {
            out.append(pad.charAt(i % pad.length()));
        }
    }

    /** {@code {{inflect count singular plural [includeCount=true]}}}. */
    private static Object inflect(Object count, Options options) {
        String word = HelperArguments.number(count, "inflect", "the count").abs().compareTo(java.math.BigDecimal.ONE)
                == 0 ? text(options.param(0, null)) : text(options.param(1, null));
        return Boolean.TRUE.equals(options.hash("includeCount")) ? text(count) + " " + word : word;
    }

    /** {@code {{join list separator [prefix=""] [suffix=""]}}}: the values of a list (or the value) joined. */
    private static Object join(Object value, Options options) {
        if (value == null) {
            return "";
        }
        String separator = options.params.length > 0 ? text(options.params[options.params.length - 1]) : ",";
        StringBuilder out = new StringBuilder(text(options.hash("prefix", "")));
        RenderBudget budget = RenderBudget.of(options);
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(separator);
                }
                out.append(text(list.get(i)));
                budget.ensureRoom(out.length());
            }
        } else {
            out.append(text(value));
            for (int i = 0; i < options.params.length - 1; i++) {
                out.append(separator).append(text(options.params[i]));
            }
        }
        return out.append(text(options.hash("suffix", ""))).toString();
    }

    /** 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 101st, 111th. */
    private static Object ordinalize(Object value, Options options) {
        java.math.BigDecimal number = HelperArguments.number(value, "ordinalize", "the value");
        long whole;
        try {
            whole = number.longValueExact();
        } catch (ArithmeticException e) {
            throw new TemplateFault("ordinalize: the value must be a whole number, not '" + HelperArguments.shown(
                    text(value)) + "'");
        }
        long lastTwo = Math.abs(whole % 100);
        long last = Math.abs(whole % 10);
        String suffix = lastTwo >= 11 && lastTwo <= 13 ? "th" : last == 1 ? "st" : last == 2 ? "nd" : last == 3 ? "rd"
                : "th";
        return whole + suffix;
    }

    /** {@code {{replace value target replacement}}}: every occurrence, literally; the result's size checked first. */
    private static Object replace(Object value, Options options) {
        if (options.params.length < 2) {
            throw new TemplateFault("replace: give the text to replace and its replacement, e.g. "
                    + "{{replace Location.City \" \" \"_\"}}");
        }
        String text = text(value);
        String target = text(options.params[0]);
        String replacement = text(options.params[1]);
        if (target.isEmpty()) {
            return text;
        }
        long occurrences = 0;
        for (int at = text.indexOf(target); at >= 0; at = text.indexOf(target, at + target.length())) {
            occurrences++;
        }
        RenderBudget.of(options).ensureRoom(text.length() + occurrences * (replacement.length() - target.length()));
        return text.replace(target, replacement);
    }

    /** Lower case, word characters kept, whitespace runs as one hyphen, everything else dropped. */
    static String slugify(String text) {
        String trimmed = text.strip();
        StringBuilder out = new StringBuilder(trimmed.length());
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (Character.isLetterOrDigit(c) || c == '_') {
                out.append(Character.toLowerCase(c));
            } else if ((Character.isWhitespace(c) || c == '-') && out.length() > 0
                    && out.charAt(out.length() - 1) != '-') {
                out.append('-');
            }
        }
        return out.toString();
    }

    /** The text without its tags; in one pass, so a value of many unclosed '<' costs no more than any other. */
    static String stripTags(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        while (at < text.length()) {
            int open = text.indexOf('<', at);
            if (open < 0) {
                break;
            }
            int close = text.indexOf('>', open + 1);
            if (close < 0) {
                break;
            }
            out.append(text, at, open);
            at = close + 1;
        }
        return out.append(text, at, text.length()).toString();
    }

    /** {@code {{substring value start [end]}}}: offsets past the end stop at the end. */
    private static Object substring(Object value, Options options) {
        String text = text(value);
        if (options.params.length == 0) {
            throw new TemplateFault("substring: give the start offset, e.g. {{substring Location.City 4 9}}");
        }
        int start = Math.min(HelperArguments.count(options.params[0], "substring", "the start offset",
                Integer.MAX_VALUE), text.length());
        int end = options.params.length > 1 ? Math.min(HelperArguments.count(options.params[1], "substring",
                "the end offset", Integer.MAX_VALUE), text.length()) : text.length();
        return end <= start ? "" : text.substring(start, end);
    }

    /** true, false and nothing as {@code yes=}, {@code no=} and {@code maybe=} (yes, no, maybe). */
    private static Object yesno(Object value, Options options) {
        Object single = HelperArguments.single(value);
        if (single == null) {
            return options.hash("maybe", "maybe");
        }
        boolean yes = single instanceof Boolean flag ? flag : !"false".equalsIgnoreCase(text(single))
                && !ConditionalHelpers.falsy(single);
        return yes ? options.hash("yes", "yes") : options.hash("no", "no");
    }
}
