package dev.waymark.messaging.render;

import com.github.jknack.handlebars.Context;
import com.github.jknack.handlebars.TagType;
import com.github.jknack.handlebars.Template;
import com.github.jknack.handlebars.TypeSafeTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.util.List;

/**
 * An inline partial that takes a step of the render's budget on every call and refuses to nest deeper than
 * {@link RenderBudget#MAX_PARTIAL_DEPTH}: {@code {{#* inline "a"}}{{> a}}{{> a}}{{/inline}}} would otherwise call
 * itself until the stack overflows, doubling its work at every level.
 */
final class GuardedPartial implements Template {
    private final Template partial;

    GuardedPartial(Template partial) {
        this.partial = partial;
    }

    @Override
    public void apply(Context context, Writer writer) throws IOException {
        RenderBudget budget = RenderBudget.of(context);
        budget.enterPartial();
        try {
            StringWriter out = new StringWriter();
            partial.apply(context, out);
            writer.append(budget.charge(out.getBuffer()));
        } finally {
            budget.leavePartial();
        }
    }

    @Override
    public String apply(Context context) throws IOException {
        StringWriter out = new StringWriter();
        apply(context, out);
        return out.toString();
    }

    @Override
    public void apply(Object context, Writer writer) throws IOException {
        apply(context instanceof Context c ? c : Context.newContext(context), writer);
    }

    @Override
    public String apply(Object context) throws IOException {
        return apply(context instanceof Context c ? c : Context.newContext(context));
    }

    @Override
    public String text() {
        return partial.text();
    }

    @Override
    public String toJavaScript() {
        return partial.toJavaScript();
    }

    @Override
    public <T, S extends TypeSafeTemplate<T>> S as(Class<S> type) {
        return partial.as(type);
    }

    @Override
    public <T> TypeSafeTemplate<T> as() {
        return partial.as();
    }

    @Override
    public List<String> collect(TagType... tagType) {
        return partial.collect(tagType);
    }

    @Override
    public List<String> collectReferenceParameters() {
        return partial.collectReferenceParameters();
    }

    @Override
    public String filename() {
        return partial.filename();
    }

    @Override
    public int[] position() {
        return partial.position();
    }
}
