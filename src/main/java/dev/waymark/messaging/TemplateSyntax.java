package dev.waymark.messaging;

import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.HandlebarsError;
import com.github.jknack.handlebars.HandlebarsException;
import com.github.jknack.handlebars.Helper;
import com.github.jknack.handlebars.Template;
import com.github.jknack.handlebars.helper.ConditionalHelpers;
import com.github.jknack.handlebars.helper.StringHelpers;
import dev.waymark.rules.RuleViolation;
import java.io.IOException;
import java.util.Set;

/**
 * Compiles one text part of a message template as Handlebars, the syntax Pinpoint's templates use. Saving a template
 * compiles every part to refuse what would never render; rendering (issue 17's next part) compiles the same way.
 */
public final class TemplateSyntax {
    /**
     * The helpers Pinpoint documents for templates (besides the built-in {@code if}, {@code each}, {@code with},
     * {@code unless}): a sub-expression such as {@code (lower "JANE")} compiles only when its helper is known.
     */
    public static final Set<String> PINPOINT_HELPERS = Set.of(
            "and", "eq", "gt", "gte", "lt", "lte", "neq", "not", "or",
            "abbreviate", "capitalize", "capitalizeFirst", "center", "cut", "dateFormat", "inflect", "join", "ljust",
            "lower", "now", "ordinalize", "replace", "rjust", "slugify", "stripTags", "substring", "upper", "yesno",
            "add", "ceiling", "decode64", "divide", "encode64", "floor", "md5", "modulo", "multiply", "round",
            "sha256", "sha512", "subtract", "uuid");

    private final Handlebars handlebars = new Handlebars();

    public TemplateSyntax() {
        for (ConditionalHelpers helper : ConditionalHelpers.values()) {
            handlebars.registerHelper(helper.name(), helper);
        }
        for (StringHelpers helper : StringHelpers.values()) {
            if (PINPOINT_HELPERS.contains(helper.name())) {
                handlebars.registerHelper(helper.name(), helper);
            }
        }
        // Pinpoint's helpers that Handlebars.java lacks are known to the compiler; rendering (not written yet) is
        // where they must be implemented, so applying one fails loudly rather than printing nothing.
        for (String name : PINPOINT_HELPERS) {
            if (handlebars.helper(name) == null) {
                handlebars.registerHelper(name, (Helper<Object>) (context, options) -> {
                    throw new IllegalStateException("the template helper '" + name + "' is not implemented yet");
                });
            }
        }
    }

    /** The compiled part; RuleViolation naming the part, the line and the column when it does not compile. */
    public Template compile(String part, String text) {
        try {
            return handlebars.compileInline(text);
        } catch (HandlebarsException e) {
            HandlebarsError error = e.getError();
            if (error == null) {
                throw new RuleViolation(part + " is not a valid template: " + firstLine(e.getMessage()));
            }
            throw new RuleViolation(part + " is not a valid template: line " + error.line + ", column "
                    + error.column + ": " + firstLine(error.reason));
        } catch (IOException | RuntimeException e) {
            throw new RuleViolation(part + " is not a valid template: " + firstLine(String.valueOf(e.getMessage())));
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "syntax error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
