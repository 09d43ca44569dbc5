package dev.waymark.messaging.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders message parts with Handlebars and Pinpoint's message variables and helpers.
 *
 * <p>{@code parts} is a JSON object whose string values (at any depth) are templates; the answer has the same shape
 * with each string rendered. Only members named {@code HtmlPart} are HTML-escaped where Handlebars escapes
 * ({@code {{x}}} escapes, {@code {{{x}}}} does not); every other part is text and is never escaped.
 *
 * <p>A variable such as {@code User.UserAttributes.FirstName} is looked up, first found wins: in
 * {@code substitutions} (SendMessages' Substitutions, keys as written in the template, first value of the list), in
 * {@code variables} (the endpoint as GetEndpoint returns it; empty for a send to a bare address), in the template's
 * {@code defaultSubstitutions} (the JSON object as Pinpoint stores it, as a string, with dotted or nested keys), and
 * otherwise renders as empty. Attribute values are lists: a bare reference prints the first value.
 */
public interface MessageRenderer {
    /** The rendered parts; {@link RenderingFailure} naming the part when one cannot be rendered. */
    ObjectNode render(ObjectNode parts, ObjectNode variables, Optional<String> defaultSubstitutions,
                      Map<String, List<String>> substitutions);

    /** A part that does not compile or fails while rendering (Pinpoint's {@code _email.rendering_failure}). */
    final class RenderingFailure extends RuntimeException {
        public RenderingFailure(String message) {
            super(message, null, false, false);
        }
    }
}
