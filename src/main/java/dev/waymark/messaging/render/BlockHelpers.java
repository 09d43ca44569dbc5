package dev.waymark.messaging.render;

import com.github.jknack.handlebars.Context;
import com.github.jknack.handlebars.Decorator;
import com.github.jknack.handlebars.Helper;
import com.github.jknack.handlebars.Options;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;

/**
 * The built-in blocks {@code each}, {@code if}, {@code unless}, {@code with} and the {@code inline} partial
 * decorator, in place of Handlebars.java's: the same behaviour, with every turn, block and partial call taking a step
 * of the render's {@link RenderBudget} and every piece of text charged to it. {@code each} visits at most
 * {@link #MAX_EACH_ITEMS} items, Pinpoint's documented list size.
 */
final class BlockHelpers {
    /** Pinpoint: "The maximum list size is 15 items." Further items are not visited. */
    static final int MAX_EACH_ITEMS = 15;

    private BlockHelpers() {
    }

    static Map<String, Helper<Object>> helpers() {
        return Map.of(
                "each", BlockHelpers::each,
                "if", (context, options) -> ConditionalHelpers.answer(!ConditionalHelpers.falsy(context), options),
                "unless", (context, options) -> ConditionalHelpers.answer(ConditionalHelpers.falsy(context), options),
                "with", BlockHelpers::with);
    }

    /** {@code {{#* inline "name"}}}: the partial is kept behind a guard that counts its calls and their depth. */
    static final Decorator INLINE = (fn, options) -> {
        Deque<Map<String, com.github.jknack.handlebars.Template>> partials = options.data(Context.INLINE_PARTIALS);
        String name = HelperArguments.text(options.param(0, null));
        partials.getLast().put(name, new GuardedPartial(options.fn));
    };

    private static Object each(Object context, Options options) throws java.io.IOException {
        RenderBudget budget = RenderBudget.of(options);
        budget.step();
        StringBuilder out = new StringBuilder();
        Context parent = options.context;
        int index = 0;
        if (context instanceof Iterable<?> items) {
            Iterator<?> loop = items.iterator();
            while (loop.hasNext() && index < MAX_EACH_ITEMS) {
                Object item = loop.next();
                boolean last = !loop.hasNext() || index == MAX_EACH_ITEMS - 1;
                Context itemContext = Context.newBuilder(parent, item)
                        .combine("@key", index).combine("@index", index).combine("@index_1", index + 1)
                        .combine("@first", index == 0 ? "first" : "").combine("@last", last ? "last" : "")
                        .combine("@odd", index % 2 == 1 ? "odd" : "").combine("@even", index % 2 == 0 ? "even" : "")
                        .build();
                append(out, budget, options.apply(options.fn, itemContext, Arrays.asList(item, index)));
                index++;
            }
        } else if (context != null && !(context instanceof CharSequence) && !(context instanceof Number)
                && !(context instanceof Boolean)) {
            Iterator<Map.Entry<String, Object>> loop = options.propertySet(context).iterator();
            while (loop.hasNext() && index < MAX_EACH_ITEMS) {
                Map.Entry<String, Object> entry = loop.next();
                boolean last = !loop.hasNext() || index == MAX_EACH_ITEMS - 1;
                Context itemContext = Context.newBuilder(parent, entry.getValue())
                        .combine("@key", entry.getKey()).combine("@index", index)
                        .combine("@first", index == 0 ? "first" : "").combine("@last", last ? "last" : "")
                        .build();
                append(out, budget,
                        options.apply(options.fn, itemContext, Arrays.asList(entry.getValue(), entry.getKey())));
                index++;
            }
        }
        if (index == 0) {
            append(out, budget, options.inverse());
        }
        return out;
    }

    private static Object with(Object context, Options options) throws java.io.IOException {
        RenderBudget budget = RenderBudget.of(options);
        budget.step();
        return budget.charge(ConditionalHelpers.falsy(context) ? options.inverse(context) : options.fn(context));
    }

    private static void append(StringBuilder out, RenderBudget budget, CharSequence text) {
        budget.step();
        out.append(budget.charge(text));
    }
}
