package dev.waymark.messaging.render;

import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.Helper;
import com.github.jknack.handlebars.Options;
import com.github.jknack.handlebars.TagType;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * Pinpoint's conditional helpers: {@code and eq gt gte lt lte neq not or}. Each works inline, answering its
 * {@code yes=}/{@code no=} hash (true/false without them), and as a block with an optional {@code else}.
 *
 * <p>Handlebars.java has helpers of these names, but its comparisons are Java's: {@code gt "9" "17"} compares the
 * strings, and Pinpoint's own examples compare an attribute (text) with {@code "17"}. Here two values that both read
 * as numbers compare as numbers, anything else as text; an attribute's list compares by its first value.
 */
final class ConditionalHelpers {
    private ConditionalHelpers() {
    }

    static Map<String, Helper<Object>> helpers() {
        return Map.of(
                "eq", comparison(ConditionalHelpers::same),
                "neq", comparison((a, b) -> !same(a, b)),
                "gt", comparison((a, b) -> compare(a, b) > 0),
                "gte", comparison((a, b) -> compare(a, b) >= 0),
                "lt", comparison((a, b) -> compare(a, b) < 0),
                "lte", comparison((a, b) -> compare(a, b) <= 0),
                "and", all(true),
                "or", all(false),
                "not", test(ConditionalHelpers::falsy));
    }

    /** The answer of a condition, inline or as a block. */
    static Object answer(boolean result, Options options) throws IOException {
        if (options.tagType == TagType.SECTION) {
            RenderBudget budget = RenderBudget.of(options);
            budget.step();
            return budget.charge(result ? options.fn() : options.inverse());
        }
        return result ? options.hash("yes", true) : options.hash("no", false);
    }

    static boolean falsy(Object value) {
        return Handlebars.Utils.isEmpty(value);
    }

    private static Helper<Object> comparison(BiPredicate<Object, Object> test) {
        return (context, options) -> answer(test.test(context, options.param(0, null)), options);
    }

    private static Helper<Object> test(Predicate<Object> test) {
        return (context, options) -> answer(test.test(context), options);
    }

    /** and (every value truthy) or or (any value truthy), over the context and every parameter. */
    private static Helper<Object> all(boolean every) {
        return (context, options) -> {
            boolean result = !falsy(context);
            for (int i = 0; i < options.params.length && result == every; i++) {
                result = !falsy(options.params[i]);
            }
            return answer(result, options);
        };
    }

    private static boolean same(Object a, Object b) {
        Object left = HelperArguments.single(a);
        Object right = HelperArguments.single(b);
        if (left == null || right == null) {
            return left == right;
        }
        BigDecimal x = numberOrNull(left);
        BigDecimal y = numberOrNull(right);
        if (x != null && y != null) {
            return x.compareTo(y) == 0;
        }
        return HelperArguments.text(left).equals(HelperArguments.text(right));
    }

    private static int compare(Object a, Object b) {
        Object left = HelperArguments.single(a);
        Object right = HelperArguments.single(b);
        BigDecimal x = numberOrNull(left);
        BigDecimal y = numberOrNull(right);
        if (x != null && y != null) {
            return x.compareTo(y);
        }
        return HelperArguments.text(left).compareTo(HelperArguments.text(right));
    }

    private static BigDecimal numberOrNull(Object value) {
        if (value instanceof Boolean || value == null) {
            return null;
        }
        try {
            return HelperArguments.number(value, "compare", "a value");
        } catch (TemplateFault e) {
            return null;
        }
    }
}
