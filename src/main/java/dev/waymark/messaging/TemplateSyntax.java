package dev.waymark.messaging;

import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.HandlebarsError;
import com.github.jknack.handlebars.HandlebarsException;
import com.github.jknack.handlebars.Template;
import dev.waymark.rules.RuleViolation;
import java.io.IOException;

/**
 * Compiles one text part of a message template as Handlebars, the syntax Pinpoint's templates use. Saving a template
 * compiles every part to refuse what would never render; rendering (issue 17's next part) compiles the same way.
 */
public final class TemplateSyntax {
    private final Handlebars handlebars = new Handlebars();

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
