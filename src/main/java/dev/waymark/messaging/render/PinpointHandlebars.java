package dev.waymark.messaging.render;

import com.github.jknack.handlebars.Decorator;
import com.github.jknack.handlebars.EscapingStrategy;
import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.Helper;
import com.github.jknack.handlebars.PathCompiler;
import com.github.jknack.handlebars.Template;
import com.github.jknack.handlebars.helper.DefaultHelperRegistry;
import com.github.jknack.handlebars.io.AbstractTemplateLoader;
import com.github.jknack.handlebars.io.TemplateSource;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.lang.reflect.Field;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handlebars as Pinpoint's templates speak it: Pinpoint's helpers, bounded blocks, inline partials only (no partial
 * is ever read from a file or the class path), no JavaBean access to values. Saving a template
 * ({@code TemplateSyntax}) and rendering it compile through this one class, so what saves is what renders.
 */
public final class PinpointHandlebars {
    /** The helpers Pinpoint documents for templates, besides the built-in blocks. */
    public static final Set<String> PINPOINT_HELPERS = Set.of(
            "and", "eq", "gt", "gte", "lt", "lte", "neq", "not", "or",
            "abbreviate", "capitalize", "capitalizeFirst", "center", "cut", "dateFormat", "inflect", "join", "ljust",
            "lower", "now", "ordinalize", "replace", "rjust", "slugify", "stripTags", "substring", "upper", "yesno",
            "add", "ceiling", "decode64", "divide", "encode64", "floor", "md5", "modulo", "multiply", "round",
            "sha256", "sha512", "subtract", "uuid");
    /** Handlebars.java's own extras that Pinpoint does not offer: layout blocks, file partials, i18n, logging. */
    private static final List<String> NOT_OFFERED = List.of(
            "embedded", "block", "partial", "precompile", "i18n", "i18nJs", "log");
    private static final Logger LOG = LoggerFactory.getLogger(PinpointHandlebars.class);
    /**
     * Handlebars.java keeps every variable path it ever compiled in a static map that never forgets. Templates are
     * client input: emptied past this size, so saving templates with ever new names cannot fill the heap.
     */
    private static final int MAX_CACHED_PATHS = 20_000;
    private static final Map<?, ?> PATH_CACHE = pathCache();
    /** An unquoted time zone ID after {@code tz=}, as Pinpoint's examples write it ({@code tz=America/Los_Angeles}). */
    private static final Pattern BARE_ZONE =
            Pattern.compile("(?<=[\\s(]tz=)([A-Za-z][A-Za-z0-9_+\\-]*(?:/[A-Za-z0-9_+\\-]+)+)(?=[\\s)}~])");

    private final Handlebars html;
    private final Handlebars text;

    /** Helpers that read the time ({@code now}) read {@code clock}. */
    public PinpointHandlebars(Clock clock) {
        Map<String, Helper<Object>> helpers = new HashMap<>();
        helpers.putAll(ConditionalHelpers.helpers());
        helpers.putAll(StringHelpers.helpers());
        helpers.putAll(DateHelpers.helpers(clock));
        helpers.putAll(MathHelpers.helpers());
        helpers.putAll(BlockHelpers.helpers());
        if (!helpers.keySet().containsAll(PINPOINT_HELPERS)) {
            Set<String> missing = new TreeSet<>(PINPOINT_HELPERS);
            missing.removeAll(helpers.keySet());
            throw new IllegalStateException("helpers not written: " + missing);
        }
        this.html = configured(helpers, EscapingStrategy.HTML_ENTITY);
        this.text = configured(helpers, EscapingStrategy.NOOP);
    }

    private static Handlebars configured(Map<String, Helper<Object>> helpers, EscapingStrategy escaping) {
        Handlebars handlebars = new Handlebars(new NoPartialFiles()).with(new GuardedRegistry())
                .with(escaping).with(VariableFormatter.INSTANCE);
        for (String name : NOT_OFFERED) {
            handlebars.registerHelper(name, (Helper<Object>) (context, options) -> {
                throw new TemplateFault("the helper '" + name + "' is not one Pinpoint's templates offer");
            });
        }
        helpers.forEach(handlebars::registerHelper);
        return handlebars;
    }

    /**
     * The compiled template; {@code escapeHtml} for an HtmlPart, where {@code {{x}}} is HTML-escaped. Throws
     * Handlebars' exception (with line and column) when the text is not a template.
     */
    public Template compile(String template, boolean escapeHtml) throws IOException {
        try {
            return (escapeHtml ? html : text).compileInline(quoteBareZones(template));
        } catch (StackOverflowError e) {
            throw new IllegalArgumentException("blocks are nested too deeply");
        } finally {
            if (PATH_CACHE != null && PATH_CACHE.size() > MAX_CACHED_PATHS) {
                PATH_CACHE.clear();
            }
        }
    }

    /** {@code tz=America/Los_Angeles} inside a mustache read as the text it means rather than a variable path. */
    static String quoteBareZones(String template) {
        if (!template.contains("tz=")) {
            return template;
        }
        StringBuilder out = new StringBuilder(template.length() + 16);
        int at = 0;
        while (at < template.length()) {
            int open = template.indexOf("{{", at);
            int close = open < 0 ? -1 : template.indexOf("}}", open + 2);
            if (close < 0) {
                break;
            }
            out.append(template, at, open);
            Matcher bare = BARE_ZONE.matcher(template.substring(open, close + 2));
            out.append(bare.replaceAll("\"$1\""));
            at = close + 2;
        }
        return out.append(template, at, template.length()).toString();
    }

    private static Map<?, ?> pathCache() {
        try {
            Field cache = PathCompiler.class.getDeclaredField("cache");
            cache.setAccessible(true);
            return (Map<?, ?>) cache.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("Cannot bound Handlebars' cache of variable paths ({}); it grows with every new name", e.toString());
            return null;
        }
    }

    /**
     * Handlebars.java's registry with the guarded {@code inline} decorator answering for its own (registering it
     * over the built-in one would log a warning for every instance).
     */
    private static final class GuardedRegistry extends DefaultHelperRegistry {
        @Override
        public Decorator decorator(String name) {
            return "inline".equals(name) ? BlockHelpers.INLINE : super.decorator(name);
        }
    }

    /** Partials are inline only: {@code {{> name}}} of anything not defined in the template is not found. */
    private static final class NoPartialFiles extends AbstractTemplateLoader {
        @Override
        public TemplateSource sourceAt(String location) throws IOException {
            throw new FileNotFoundException(location);
        }
    }
}
