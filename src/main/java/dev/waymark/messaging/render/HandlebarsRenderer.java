package dev.waymark.messaging.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.jknack.handlebars.Context;
import com.github.jknack.handlebars.HandlebarsError;
import com.github.jknack.handlebars.HandlebarsException;
import com.github.jknack.handlebars.Template;
import com.github.jknack.handlebars.context.MapValueResolver;
import java.io.IOException;
import java.io.Writer;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link MessageRenderer}: Handlebars.java with {@link PinpointHandlebars}' helpers. Compiled parts are cached,
 * since one template renders for many endpoints, bounded by an estimate of their size in memory; so are parsed
 * DefaultSubstitutions. Thread-safe: a render keeps its state in its own context.
 *
 * <p>A part's output is bounded ({@code maxOutputCharacters}, by default four times an email's 600,000
 * characters), and so are the work of its loops and partials ({@link RenderBudget}); past either, or when a helper
 * is given what it cannot use, the part fails with a {@link RenderingFailure} naming it.
 */
public final class HandlebarsRenderer implements MessageRenderer {
    /**
     * Bytes of compiled templates kept (estimated): three emails of 600,000 characters that are all mustaches, or
     * some thousand emails of 20,000 characters with 200 variables each.
     */
    public static final long DEFAULT_CACHE_BYTES = 128L * 1024 * 1024;
    /** What one mustache or sub-expression costs compiled, measured: 320 to 770 bytes. */
    private static final int BYTES_PER_NODE = 500;

    private final PinpointHandlebars handlebars;
    private final long maxOutputCharacters;
    private final Cache<Key, Compiled> compiled;
    private final Cache<String, Optional<ObjectNode>> defaults;

    /** A renderer with the default bounds; {@code now} and {@code dateFormat} read {@code clock}. */
    public HandlebarsRenderer(Clock clock) {
        this(clock, RenderBudget.DEFAULT_MAX_OUTPUT, DEFAULT_CACHE_BYTES);
    }

    /** A renderer whose parts render to at most {@code maxOutputCharacters} each, caching about {@code cacheBytes}. */
    public HandlebarsRenderer(Clock clock, long maxOutputCharacters, long cacheBytes) {
        this.handlebars = new PinpointHandlebars(clock);
        this.maxOutputCharacters = maxOutputCharacters;
        this.compiled = Caffeine.newBuilder().maximumWeight(cacheBytes)
                .weigher((Key key, Compiled value) -> weight(key.text())).build();
        // A parsed JSON object takes some ten times the bytes of its text.
        this.defaults = Caffeine.newBuilder().maximumWeight(cacheBytes / 4)
                .weigher((String key, Optional<ObjectNode> value) -> (int) Math.min(Integer.MAX_VALUE,
                        64 + 20L * key.length())).build();
    }

    @Override
    public ObjectNode render(ObjectNode parts, ObjectNode variables, Optional<String> defaultSubstitutions,
                             Map<String, List<String>> substitutions) {
        ObjectNode defaultTree = defaultSubstitutions.filter(json -> !json.isBlank())
                .flatMap(json -> defaults.get(json, key -> Optional.ofNullable(VariableTrees.defaults(key))))
                .orElse(null);
        ObjectNode substitutionTree = substitutions == null || substitutions.isEmpty() ? null
                : VariableTrees.substitutions(substitutions);
        Variables root = Variables.of(substitutionTree, variables, defaultTree);
        return (ObjectNode) renderNode(parts, "", false, root);
    }

    private JsonNode renderNode(JsonNode node, String path, boolean html, Variables root) {
        if (node.isTextual()) {
            return JsonNodeFactory.instance.textNode(renderPart(path, node.textValue(), html, root));
        }
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String name = field.getKey();
                out.set(name, renderNode(field.getValue(), path.isEmpty() ? name : path + "." + name,
                        name.equals("HtmlPart"), root));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode(node.size());
            for (int i = 0; i < node.size(); i++) {
                out.add(renderNode(node.get(i), path + "[" + i + "]", html, root));
            }
            return out;
        }
        return node.deepCopy();
    }

    private String renderPart(String part, String text, boolean html, Variables root) {
        if (text.indexOf('{') < 0) {
            return text;
        }
        Compiled template = compiled.get(new Key(html, text), key -> compile(key));
        if (template.template() == null) {
            throw failure(part, template.error());
        }
        RenderBudget budget = new RenderBudget(maxOutputCharacters);
        Context context = Context.newBuilder(root)
                .resolver(VariableResolver.INSTANCE, MapValueResolver.INSTANCE).build();
        context.data(RenderBudget.KEY, budget);
        BoundedWriter out = new BoundedWriter(budget);
        try {
            template.template().apply(context, out);
            return out.toString();
        } catch (HandlebarsException e) {
            throw failure(part, reason(e));
        } catch (TemplateFault e) {
            throw failure(part, e.getMessage());
        } catch (IOException | RuntimeException e) {
            throw failure(part, firstLine(String.valueOf(e.getMessage())));
        } catch (StackOverflowError e) {
            throw failure(part, "the template nests too deeply");
        } finally {
            context.destroy();
        }
    }

    private Compiled compile(Key key) {
        try {
            return new Compiled(handlebars.compile(key.text(), key.html()), null);
        } catch (HandlebarsException e) {
            return new Compiled(null, "it is not a valid template: " + reason(e));
        } catch (IOException | RuntimeException e) {
            return new Compiled(null, "it is not a valid template: " + firstLine(String.valueOf(e.getMessage())));
        }
    }

    /** The estimated bytes of a compiled part: its text, and every mustache and sub-expression as a node. */
    static int weight(String text) {
        long nodes = 0;
        for (int i = 0; i < text.length() - 1; i++) {
            char c = text.charAt(i);
            if (c == '(' || (c == '{' && text.charAt(i + 1) == '{')) {
                nodes++;
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, 64 + 2L * text.length() + BYTES_PER_NODE * nodes);
    }

    /** A helper's own words when it refused; else Handlebars' reason with where in the part it happened. */
    private static String reason(HandlebarsException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof TemplateFault) {
                return cause.getMessage();
            }
        }
        HandlebarsError error = e.getError();
        if (error != null) {
            return "line " + error.line + ", column " + error.column + ": " + firstLine(error.reason);
        }
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return firstLine(String.valueOf(cause.getMessage()));
    }

    private static RenderingFailure failure(String part, String reason) {
        return new RenderingFailure((part.isEmpty() ? "the message" : part) + " could not be rendered: " + reason);
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private record Key(boolean html, String text) {
    }

    /** A compiled part, or why it does not compile (kept too, so a broken template fails fast for every endpoint). */
    private record Compiled(Template template, String error) {
    }

    /** The part's text, refused past the budget's output bound as it is written. */
    private static final class BoundedWriter extends Writer {
        private final StringBuilder text = new StringBuilder();
        private final RenderBudget budget;

        BoundedWriter(RenderBudget budget) {
            this.budget = budget;
        }

        @Override
        public void write(char[] chars, int offset, int length) {
            room(length);
            text.append(chars, offset, length);
        }

        @Override
        public void write(String string, int offset, int length) {
            room(length);
            text.append(string, offset, offset + length);
        }

        @Override
        public Writer append(CharSequence sequence) {
            CharSequence chars = sequence == null ? "null" : sequence;
            room(chars.length());
            text.append(chars);
            return this;
        }

        @Override
        public Writer append(CharSequence sequence, int start, int end) {
            room(end - start);
            text.append(sequence == null ? "null" : sequence, start, end);
            return this;
        }

        @Override
        public void write(int c) {
            room(1);
            text.append((char) c);
        }

        private void room(long more) {
            if (text.length() + more > budget.maxOutput()) {
                throw budget.tooLong();
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
