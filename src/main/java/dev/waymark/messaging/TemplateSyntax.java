package dev.waymark.messaging;

import com.github.jknack.handlebars.HandlebarsError;
import com.github.jknack.handlebars.HandlebarsException;
import com.github.jknack.handlebars.Template;
import dev.waymark.messaging.render.PinpointHandlebars;
import dev.waymark.rules.RuleViolation;
import java.io.IOException;
import java.time.Clock;
import java.util.Set;

/**
 * Compiles one text part of a message template as Handlebars, the syntax Pinpoint's templates use. Saving a template
 * compiles every part to refuse what would never render; rendering compiles through the same
 * {@link PinpointHandlebars}, so a template that saves compiles alike when it is sent.
 */
public final class TemplateSyntax {
    /**
     * The helpers Pinpoint documents for templates (besides the built-in {@code if}, {@code each}, {@code with},
     * {@code unless}): a sub-expression such as {@code (lower "JANE")} compiles only when its helper is known.
     */
    public static final Set<String> PINPOINT_HELPERS = PinpointHandlebars.PINPOINT_HELPERS;

    // Compiling never runs a helper, so the clock is never read here.
    private final PinpointHandlebars handlebars = new PinpointHandlebars(Clock.systemUTC());

    /** The compiled part; RuleViolation naming the part, the line and the column when it does not compile. */
    public Template compile(String part, String text) {
        try {
            return handlebars.compile(text, part.endsWith("HtmlPart"));
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
