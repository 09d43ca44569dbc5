package dev.waymark.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.messaging.render.MessageRenderer;
import dev.waymark.wire.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rendered content of one direct message, in the shape {@link OutboundMessage} documents for its channel. What
 * the request says wins over its template, part by part; a recipient's overrides win over both; DefaultMessage is
 * the fallback body of every channel. Substitutions merge from DefaultMessage's, to the channel message's, to the
 * recipient's, the later winning.
 */
final class DirectContent {
    private static final Map<String, String> PUSH_MESSAGE = Map.of("GCM", "GCMMessage", "APNS", "APNSMessage",
            "APNS_SANDBOX", "APNSMessage", "APNS_VOIP", "APNSMessage", "APNS_VOIP_SANDBOX", "APNSMessage",
            "ADM", "ADMMessage", "BAIDU", "BaiduMessage");
    private static final Map<String, String> PUSH_TEMPLATE_PART = Map.of("GCM", "GCM", "APNS", "APNS",
            "APNS_SANDBOX", "APNS", "APNS_VOIP", "APNS", "APNS_VOIP_SANDBOX", "APNS", "ADM", "ADM", "BAIDU", "Baidu");
    private static final int PUSH_MAX_CHARACTERS = 4_000;

    /** Why a recipient cannot be sent this message; becomes its PERMANENT_FAILURE. */
    static final class Undeliverable extends RuntimeException {
        Undeliverable(String message) {
            super(message, null, false, false);
        }
    }

    private final MessageRenderer renderer;

    DirectContent(MessageRenderer renderer) {
        this.renderer = renderer;
    }

    /**
     * The content for a recipient on {@code channelType} (EMAIL, SMS, VOICE or a push platform): {@code template} is
     * the template of that channel's type when the request named one, {@code variables} the endpoint (or the bare
     * address), {@code channel} the app's channel of that type.
     */
    ObjectNode build(String channelType, ObjectNode configuration, Optional<StoredTemplate> template,
                     SendRequest.Overrides overrides, Map<String, String> requestContext, ChannelState channel,
                     ObjectNode variables) {
        return build(channelType, configuration, template, overrides, requestContext, channel, variables, Map.of());
    }

    /**
     * As above, with Waymark's own substitutions for an email ({@code unsubscribeUrl}): the request's own of the
     * same name win.
     */
    ObjectNode build(String channelType, ObjectNode configuration, Optional<StoredTemplate> template,
                     SendRequest.Overrides overrides, Map<String, String> requestContext, ChannelState channel,
                     ObjectNode variables, Map<String, List<String>> emailSubstitutions) {
        ObjectNode content = switch (channelType) {
            case "EMAIL" -> email(configuration, template, overrides, channel, variables, emailSubstitutions);
            case "SMS" -> sms(configuration, template, overrides, channel, variables);
            case "VOICE" -> voice(configuration, template, overrides, variables);
            default -> push(channelType, configuration, template, overrides, variables);
        };
        Map<String, String> context = new LinkedHashMap<>(requestContext);
        context.putAll(overrides.context());
        if (!context.isEmpty()) {
            content.set("Context", Json.MAPPER.valueToTree(context));
        }
        return content;
    }

    private ObjectNode email(ObjectNode configuration, Optional<StoredTemplate> template,
                             SendRequest.Overrides overrides, ChannelState channel, ObjectNode variables,
                             Map<String, List<String>> ownSubstitutions) {
        JsonNode message = configuration.path("EmailMessage");
        JsonNode simple = message.path("SimpleEmail");
        ObjectNode parts = Json.MAPPER.createObjectNode();
        template.ifPresent(stored -> {
            for (String part : List.of("Subject", "HtmlPart", "TextPart", "Headers")) {
                copy(stored.definition().get(part), parts, part);
            }
        });
        for (String part : List.of("Subject", "HtmlPart", "TextPart")) {
            copy(simple.path(part).get("Data"), parts, part);
        }
        copy(simple.get("Headers"), parts, "Headers");
        if (!parts.has("HtmlPart") && !parts.has("TextPart")) {
            copy(message.has("Body") ? message.get("Body") : configuration.path("DefaultMessage").get("Body"),
                    parts, "TextPart");
        }
        overrides.title().ifPresent(title -> parts.put("Subject", title));
        overrides.body().ifPresent(body -> {
            // An override is one body: it replaces the text part, and an HTML part that would say something else.
            parts.remove("HtmlPart");
            parts.put("TextPart", body);
        });
        String from = text(message, "FromAddress").or(() -> text(channel.settings(), "FromAddress"))
                .orElseThrow(() -> new Undeliverable("No FromAddress: give EmailMessage.FromAddress or set the "
                        + "email channel's FromAddress (UpdateEmailChannel)"));
        if (!parts.has("Subject")) {
            throw new Undeliverable("The email has no subject: give SimpleEmail.Subject, TitleOverride or a template "
                    + "with a Subject");
        }
        if (!parts.has("HtmlPart") && !parts.has("TextPart")) {
            throw new Undeliverable("The email has no body: give SimpleEmail.HtmlPart or TextPart, EmailMessage.Body, "
                    + "DefaultMessage.Body, BodyOverride or a template with a body");
        }
        Map<String, List<String>> substitutions = substitutions(configuration, "EmailMessage", overrides);
        ownSubstitutions.forEach(substitutions::putIfAbsent);
        ObjectNode rendered = render(parts, template, substitutions, variables);
        long characters = 0;
        for (String part : List.of("Subject", "HtmlPart", "TextPart")) {
            characters += rendered.path(part).asText("").length();
        }
        limit("The rendered email", characters, SendRules.MAX_BODY_CHARACTERS);
        rendered.put("FromAddress", from);
        if (message.has("ReplyToAddresses")) {
            rendered.set("ReplyToAddresses", message.get("ReplyToAddresses"));
        }
        return rendered;
    }

    private ObjectNode sms(ObjectNode configuration, Optional<StoredTemplate> template,
                           SendRequest.Overrides overrides, ChannelState channel, ObjectNode variables) {
        JsonNode message = configuration.path("SMSMessage");
        ObjectNode parts = Json.MAPPER.createObjectNode();
        body(parts, message, template, configuration, overrides, "SMSMessage.Body, an SMS template");
        ObjectNode rendered = render(parts, template, substitutions(configuration, "SMSMessage", overrides),
                variables);
        limit("The rendered SMS body", rendered.path("Body").asText("").length(), TemplateType.SMS.maxCharacters());
        for (String member : List.of("MessageType", "OriginationNumber", "SenderId", "Keyword", "EntityId",
                "TemplateId")) {
            copy(message.get(member), rendered, member);
        }
        if (!rendered.has("SenderId")) {
            copy(channel.settings().get("SenderId"), rendered, "SenderId");
        }
        return rendered;
    }

    private ObjectNode voice(ObjectNode configuration, Optional<StoredTemplate> template,
                             SendRequest.Overrides overrides, ObjectNode variables) {
        JsonNode message = configuration.path("VoiceMessage");
        ObjectNode parts = Json.MAPPER.createObjectNode();
        body(parts, message, template, configuration, overrides, "VoiceMessage.Body, a voice template");
        ObjectNode rendered = render(parts, template, substitutions(configuration, "VoiceMessage", overrides),
                variables);
        limit("The rendered voice script", rendered.path("Body").asText("").length(),
                TemplateType.VOICE.maxCharacters());
        for (String member : List.of("LanguageCode", "VoiceId")) {
            copy(message.has(member) ? message.get(member)
                    : template.map(stored -> stored.definition().get(member)).orElse(null), rendered, member);
        }
        copy(message.get("OriginationNumber"), rendered, "OriginationNumber");
        return rendered;
    }

    private ObjectNode push(String platform, ObjectNode configuration, Optional<StoredTemplate> template,
                            SendRequest.Overrides overrides, ObjectNode variables) {
        String platformMessage = PUSH_MESSAGE.get(platform);
        ObjectNode content = Json.MAPPER.createObjectNode();
        template.ifPresent(stored -> {
            overlay(content, stored.definition().path("Default"));
            overlay(content, stored.definition().path(PUSH_TEMPLATE_PART.get(platform)));
        });
        overlay(content, configuration.path("DefaultPushNotificationMessage"));
        overlay(content, configuration.path(platformMessage));
        content.remove("Substitutions");
        if (!content.has("Body")) {
            copy(configuration.path("DefaultMessage").get("Body"), content, "Body");
        }
        overrides.title().ifPresent(title -> content.put("Title", title));
        overrides.body().ifPresent(body -> content.put("Body", body));
        overrides.rawContent().ifPresent(raw -> content.put("RawContent", raw));
        if (!content.has("Body") && !content.has("RawContent") && !content.has("Data")
                && !content.path("SilentPush").asBoolean(false)) {
            throw new Undeliverable("The push notification is empty: give a Body (" + platformMessage
                    + ", DefaultPushNotificationMessage, DefaultMessage, BodyOverride or a push template), "
                    + "RawContent, Data or SilentPush");
        }
        ObjectNode parts = Json.MAPPER.createObjectNode();
        copy(content.get("Title"), parts, "Title");
        copy(content.get("Body"), parts, "Body");
        Map<String, List<String>> substitutions = substitutions(configuration, "DefaultPushNotificationMessage",
                SendRequest.Overrides.NONE);
        substitutions.putAll(SendRules.checkSubstitutions(platformMessage,
                configuration.path(platformMessage).path("Substitutions")));
        substitutions.putAll(overrides.substitutions());
        ObjectNode rendered = render(parts, template, substitutions, variables);
        content.setAll(rendered);
        int limit = platform.equals("ADM") ? TemplateType.PUSH.maxCharacters() : PUSH_MAX_CHARACTERS;
        limit("The rendered push notification", content.path("Title").asText("").length()
                + content.path("Body").asText("").length(), limit);
        content.put("Platform", platform);
        return content;
    }

    /** Body from the channel's message, else the template, else DefaultMessage; BodyOverride wins over all. */
    private static void body(ObjectNode parts, JsonNode message, Optional<StoredTemplate> template,
                             ObjectNode configuration, SendRequest.Overrides overrides, String where) {
        JsonNode body = message.get("Body");
        if (body == null) {
            body = template.map(stored -> stored.definition().get("Body")).orElse(null);
        }
        if (body == null) {
            body = configuration.path("DefaultMessage").get("Body");
        }
        copy(body, parts, "Body");
        overrides.body().ifPresent(value -> parts.put("Body", value));
        if (!parts.has("Body")) {
            throw new Undeliverable("The message has no body: give " + where + ", DefaultMessage.Body or "
                    + "BodyOverride");
        }
    }

    private ObjectNode render(ObjectNode parts, Optional<StoredTemplate> template,
                              Map<String, List<String>> substitutions, ObjectNode variables) {
        Optional<String> defaults = template.map(stored -> stored.definition().get("DefaultSubstitutions"))
                .filter(JsonNode::isTextual).map(JsonNode::asText);
        try {
            return renderer.render(parts, variables, defaults, substitutions);
        } catch (MessageRenderer.RenderingFailure e) {
            throw new Undeliverable("The message could not be rendered: " + e.getMessage());
        }
    }

    /** DefaultMessage's Substitutions, then the channel message's, then the recipient's: the later win. */
    private static Map<String, List<String>> substitutions(ObjectNode configuration, String channelMessage,
                                                           SendRequest.Overrides overrides) {
        Map<String, List<String>> merged = new LinkedHashMap<>(SendRules.checkSubstitutions("DefaultMessage",
                configuration.path("DefaultMessage").path("Substitutions")));
        merged.putAll(SendRules.checkSubstitutions(channelMessage,
                configuration.path(channelMessage).path("Substitutions")));
        merged.putAll(overrides.substitutions());
        return merged;
    }

    private static void overlay(ObjectNode target, JsonNode source) {
        if (source.isObject()) {
            source.properties().forEach(member -> target.set(member.getKey(), member.getValue().deepCopy()));
        }
    }

    private static void copy(JsonNode value, ObjectNode target, String member) {
        if (value != null && !value.isNull() && !value.isMissingNode()) {
            target.set(member, value instanceof ArrayNode || value instanceof ObjectNode ? value.deepCopy() : value);
        }
    }

    private static Optional<String> text(JsonNode node, String member) {
        JsonNode value = node == null ? null : node.get(member);
        return value != null && value.isTextual() && !value.asText().isBlank() ? Optional.of(value.asText())
                : Optional.empty();
    }

    private static void limit(String what, long characters, int limit) {
        if (characters > limit) {
            throw new Undeliverable(what + " has " + characters + " characters; at most " + limit);
        }
    }
}
