package dev.waymark.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.rules.RuleViolation;
import dev.waymark.wire.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a saved template must be: a name Pinpoint accepts, DefaultSubstitutions a JSON object, every text part
 * Handlebars that compiles and within Pinpoint's size quota.
 */
public final class TemplateRules {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");
    private static final List<String> PUSH_PLATFORMS = List.of("ADM", "APNS", "Baidu", "Default", "GCM");
    /** Pinpoint's push quota for every platform but ADM, which allows {@link TemplateType#maxCharacters()}. */
    private static final int PUSH_MAX_CHARACTERS = 4_000;

    private final TemplateSyntax syntax;

    public TemplateRules(TemplateSyntax syntax) {
        this.syntax = syntax;
    }

    /** Checks a template name: 1 to 128 letters, digits, '_' or '-', starting with a letter or digit. */
    public static String checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new RuleViolation("TemplateName '" + name + "' must be 1 to 128 characters of letters, digits, "
                    + "'_' and '-', starting with a letter or a digit");
        }
        return name;
    }

    /** Checks a template request already read against its shape. */
    public void check(TemplateType type, ObjectNode request) {
        JsonNode substitutions = request.get("DefaultSubstitutions");
        if (substitutions != null) {
            JsonNode parsed;
            try {
                parsed = Json.MAPPER.readTree(substitutions.asText());
            } catch (Exception e) {
                parsed = null;
            }
            if (parsed == null || !parsed.isObject()) {
                throw new RuleViolation("DefaultSubstitutions must be a JSON object serialized as a string, e.g. "
                        + "{\"User.UserAttributes.FirstName\": \"there\"}");
            }
        }
        Map<String, String> parts = parts(type, request);
        if (type == TemplateType.PUSH) {
            for (String platform : PUSH_PLATFORMS) {
                int limit = platform.equals("ADM") ? type.maxCharacters() : PUSH_MAX_CHARACTERS;
                int total = parts.entrySet().stream().filter(part -> part.getKey().startsWith(platform + "."))
                        .mapToInt(part -> part.getValue().length()).sum();
                if (total > limit) {
                    throw tooLong(platform, limit);
                }
            }
        } else if (parts.values().stream().mapToLong(String::length).sum() > type.maxCharacters()) {
            throw tooLong("The " + type.name() + " template", type.maxCharacters());
        }
        parts.forEach(syntax::compile);
    }

    /** The parts that are rendered for each endpoint, by their path in the request, e.g. {@code GCM.Body}. */
    public static Map<String, String> parts(TemplateType type, ObjectNode request) {
        Map<String, String> parts = new LinkedHashMap<>();
        switch (type) {
            case EMAIL -> List.of("Subject", "HtmlPart", "TextPart").forEach(name -> add(parts, name, request.get(name)));
            case SMS, VOICE -> add(parts, "Body", request.get("Body"));
            case PUSH -> PUSH_PLATFORMS.forEach(platform -> List.of("Title", "Body").forEach(name ->
                    add(parts, platform + "." + name, request.path(platform).get(name))));
            case INAPP -> {
                JsonNode content = request.path("Content");
                for (int i = 0; i < content.size(); i++) {
                    JsonNode item = content.get(i);
                    String prefix = "Content[" + i + "].";
                    add(parts, prefix + "HeaderConfig.Header", item.path("HeaderConfig").get("Header"));
                    add(parts, prefix + "BodyConfig.Body", item.path("BodyConfig").get("Body"));
                    add(parts, prefix + "PrimaryBtn.DefaultConfig.Text",
                            item.path("PrimaryBtn").path("DefaultConfig").get("Text"));
                    add(parts, prefix + "SecondaryBtn.DefaultConfig.Text",
                            item.path("SecondaryBtn").path("DefaultConfig").get("Text"));
                }
            }
            default -> throw new IllegalStateException(type.name());
        }
        return parts;
    }

    private static void add(Map<String, String> parts, String name, JsonNode value) {
        if (value != null && value.isTextual()) {
            parts.put(name, value.asText());
        }
    }

    private static RuleViolation tooLong(String what, int limit) {
        return new RuleViolation(what + " may have at most " + limit + " characters in its message parts");
    }
}
