package dev.waymark.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.rules.RuleViolation;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a direct send must be (SendMessages' MessageRequest, SendUsersMessages' SendUsersMessageRequest, already read
 * against their shapes): 1 to 100 recipients (Pinpoint's limit on both), an address's ChannelType one that can be
 * sent to, templates named properly and never in-app, and every string, list and map within a bound.
 */
final class SendRules {
    /** Pinpoint's limit: a direct message goes to at most 100 recipients (addresses and endpoints, or users). */
    static final int MAX_RECIPIENTS = 100;
    static final int MAX_ADDRESS_LENGTH = 1_024;
    /** Pinpoint's endpoint and user ids are at most 128 characters; a longer one cannot exist. */
    static final int MAX_ID_LENGTH = 128;
    /** The largest email part (Pinpoint's template quota); the largest body of any channel. */
    static final int MAX_BODY_CHARACTERS = 600_000;
    static final int MAX_TITLE_CHARACTERS = 2_000;
    /** A push payload (RawContent) is at most 4 KB at the providers; ADM's 6,000 is the largest. */
    static final int MAX_RAW_CONTENT_CHARACTERS = 6_000;
    static final int MAX_CONTEXT_ENTRIES = 50;
    static final int MAX_CONTEXT_KEY_LENGTH = 128;
    static final int MAX_CONTEXT_VALUE_LENGTH = 4_096;
    static final int MAX_SUBSTITUTION_KEYS = 100;
    static final int MAX_SUBSTITUTION_VALUES = 50;
    static final int MAX_SUBSTITUTION_VALUE_LENGTH = 10_000;
    static final int MAX_DATA_ENTRIES = 100;
    static final int MAX_HEADERS = 15;
    static final int MAX_HEADER_NAME_LENGTH = 126;
    static final int MAX_HEADER_VALUE_LENGTH = 870;
    static final int MAX_REPLY_TO = 50;
    static final int MAX_SHORT_STRING = 1_024;
    static final int MAX_TRACE_ID_LENGTH = 256;

    /** The address ChannelTypes a direct send can reach: CUSTOM, IN_APP and the abstract PUSH cannot. */
    static final Set<String> ADDRESS_CHANNELS = Set.of("EMAIL", "SMS", "VOICE", "GCM", "APNS", "APNS_SANDBOX",
            "APNS_VOIP", "APNS_VOIP_SANDBOX", "ADM", "BAIDU");

    private static final Map<String, TemplateType> TEMPLATE_MEMBERS = Map.of("EmailTemplate", TemplateType.EMAIL,
            "SMSTemplate", TemplateType.SMS, "PushTemplate", TemplateType.PUSH, "VoiceTemplate", TemplateType.VOICE);
    private static final List<String> PUSH_MESSAGES =
            List.of("DefaultPushNotificationMessage", "GCMMessage", "APNSMessage", "ADMMessage", "BaiduMessage");

    private SendRules() {}

    /** SendMessages: Addresses then Endpoints, 1 to 100 of them together. */
    static SendRequest messages(ObjectNode request) {
        JsonNode addresses = request.path("Addresses");
        JsonNode endpoints = request.path("Endpoints");
        int count = addresses.size() + endpoints.size();
        if (count == 0) {
            throw new RuleViolation("A message needs at least one recipient in Addresses or Endpoints");
        }
        if (count > MAX_RECIPIENTS) {
            throw new RuleViolation("A message may go to at most " + MAX_RECIPIENTS + " recipients (Addresses and "
                    + "Endpoints together); this one names " + count);
        }
        List<SendRequest.Recipient> recipients = new ArrayList<>(count);
        for (Map.Entry<String, JsonNode> entry : addresses.properties()) {
            String path = "Addresses." + entry.getKey();
            checkKey(path, entry.getKey(), MAX_ADDRESS_LENGTH);
            String channel = entry.getValue().path("ChannelType").asText("");
            if (channel.isEmpty()) {
                throw new RuleViolation(path + ".ChannelType is required: it says how to reach the address");
            }
            if (!ADDRESS_CHANNELS.contains(channel)) {
                throw new RuleViolation(path + ".ChannelType " + channel + " cannot be sent to directly; use one of "
                        + String.join(", ", ADDRESS_CHANNELS.stream().sorted().toList()));
            }
            recipients.add(new SendRequest.Recipient(SendRequest.Kind.ADDRESS, entry.getKey(), Optional.of(channel),
                    overrides(path, entry.getValue())));
        }
        for (Map.Entry<String, JsonNode> entry : endpoints.properties()) {
            String path = "Endpoints." + entry.getKey();
            checkKey(path, entry.getKey(), MAX_ID_LENGTH);
            recipients.add(new SendRequest.Recipient(SendRequest.Kind.ENDPOINT, entry.getKey(), Optional.empty(),
                    overrides(path, entry.getValue())));
        }
        return common(request, recipients);
    }

    /** SendUsersMessages: 1 to 100 users, each reached on every endpoint it has. */
    static SendRequest users(ObjectNode request) {
        JsonNode users = request.path("Users");
        if (users.isEmpty()) {
            throw new RuleViolation("Users must name at least one user id");
        }
        if (users.size() > MAX_RECIPIENTS) {
            throw new RuleViolation("A message may go to at most " + MAX_RECIPIENTS + " users; Users names "
                    + users.size());
        }
        List<SendRequest.Recipient> recipients = new ArrayList<>(users.size());
        for (Map.Entry<String, JsonNode> entry : users.properties()) {
            String path = "Users." + entry.getKey();
            checkKey(path, entry.getKey(), MAX_ID_LENGTH);
            recipients.add(new SendRequest.Recipient(SendRequest.Kind.USER, entry.getKey(), Optional.empty(),
                    overrides(path, entry.getValue())));
        }
        return common(request, recipients);
    }

    private static SendRequest common(ObjectNode request, List<SendRequest.Recipient> recipients) {
        ObjectNode configuration = (ObjectNode) request.get("MessageConfiguration");
        checkConfiguration(configuration);
        Map<String, String> context = context("Context", request.path("Context"));
        Optional<String> traceId = Optional.ofNullable(request.get("TraceId")).map(JsonNode::asText);
        traceId.ifPresent(id -> checkLength("TraceId", id, MAX_TRACE_ID_LENGTH));
        return new SendRequest(List.copyOf(recipients), configuration, templates(request.path("TemplateConfiguration")),
                context, traceId);
    }

    private static Map<TemplateType, SendRequest.TemplateChoice> templates(JsonNode configuration) {
        if (configuration.has("InAppTemplate")) {
            throw new RuleViolation("TemplateConfiguration.InAppTemplate is not supported for direct messages; in-app "
                    + "messages are only for campaigns and journeys");
        }
        Map<TemplateType, SendRequest.TemplateChoice> templates = new EnumMap<>(TemplateType.class);
        for (Map.Entry<String, JsonNode> entry : configuration.properties()) {
            TemplateType type = TEMPLATE_MEMBERS.get(entry.getKey());
            String path = "TemplateConfiguration." + entry.getKey();
            String name = entry.getValue().path("Name").asText("");
            if (name.isEmpty()) {
                throw new RuleViolation(path + ".Name is required");
            }
            try {
                TemplateRules.checkName(name);
            } catch (RuleViolation e) {
                throw new RuleViolation(path + ".Name: " + e.getMessage());
            }
            Optional<Integer> version = Optional.empty();
            String given = entry.getValue().path("Version").asText("");
            if (!given.isEmpty()) {
                if (!given.matches("[0-9]{1,9}") || Integer.parseInt(given) < 1) {
                    throw new RuleViolation(path + ".Version must be a version number (1, 2, …), not '"
                            + abbreviate(given) + "'; leave it out for the active version");
                }
                version = Optional.of(Integer.parseInt(given));
            }
            templates.put(type, new SendRequest.TemplateChoice(name, version));
        }
        return templates;
    }

    private static void checkConfiguration(ObjectNode configuration) {
        checkText("MessageConfiguration.DefaultMessage.Body", configuration.path("DefaultMessage").get("Body"),
                MAX_BODY_CHARACTERS);
        checkSubstitutions("MessageConfiguration.DefaultMessage.Substitutions",
                configuration.path("DefaultMessage").path("Substitutions"));
        JsonNode email = configuration.path("EmailMessage");
        String emailPath = "MessageConfiguration.EmailMessage";
        if (email.has("RawEmail")) {
            throw new RuleViolation(emailPath + ".RawEmail is not supported by Waymark; send SimpleEmail (Subject, "
                    + "HtmlPart, TextPart) or an email template");
        }
        checkText(emailPath + ".Body", email.get("Body"), MAX_BODY_CHARACTERS);
        checkText(emailPath + ".FromAddress", email.get("FromAddress"), MAX_SHORT_STRING);
        checkText(emailPath + ".FeedbackForwardingAddress", email.get("FeedbackForwardingAddress"), MAX_SHORT_STRING);
        JsonNode replyTo = email.path("ReplyToAddresses");
        if (replyTo.size() > MAX_REPLY_TO) {
            throw new RuleViolation(emailPath + ".ReplyToAddresses may hold at most " + MAX_REPLY_TO + " addresses");
        }
        replyTo.forEach(address -> checkText(emailPath + ".ReplyToAddresses", address, MAX_SHORT_STRING));
        checkSubstitutions(emailPath + ".Substitutions", email.path("Substitutions"));
        JsonNode simple = email.path("SimpleEmail");
        long emailCharacters = 0;
        for (String part : List.of("Subject", "HtmlPart", "TextPart")) {
            JsonNode data = simple.path(part).get("Data");
            checkText(emailPath + ".SimpleEmail." + part + ".Data", data, MAX_BODY_CHARACTERS);
            checkText(emailPath + ".SimpleEmail." + part + ".Charset", simple.path(part).get("Charset"),
                    MAX_SHORT_STRING);
            emailCharacters += data == null ? 0 : data.asText().length();
        }
        if (emailCharacters > MAX_BODY_CHARACTERS) {
            throw new RuleViolation(emailPath + ".SimpleEmail may have at most " + MAX_BODY_CHARACTERS
                    + " characters in its Subject, HtmlPart and TextPart together");
        }
        checkHeaders(emailPath + ".SimpleEmail.Headers", simple.path("Headers"));
        JsonNode sms = configuration.path("SMSMessage");
        checkText("MessageConfiguration.SMSMessage.Body", sms.get("Body"), TemplateType.SMS.maxCharacters());
        for (String member : List.of("Keyword", "MediaUrl", "OriginationNumber", "SenderId", "EntityId",
                "TemplateId")) {
            checkText("MessageConfiguration.SMSMessage." + member, sms.get(member), MAX_SHORT_STRING);
        }
        checkSubstitutions("MessageConfiguration.SMSMessage.Substitutions", sms.path("Substitutions"));
        JsonNode voice = configuration.path("VoiceMessage");
        checkText("MessageConfiguration.VoiceMessage.Body", voice.get("Body"), TemplateType.VOICE.maxCharacters());
        for (String member : List.of("LanguageCode", "OriginationNumber", "VoiceId")) {
            checkText("MessageConfiguration.VoiceMessage." + member, voice.get(member), MAX_SHORT_STRING);
        }
        checkSubstitutions("MessageConfiguration.VoiceMessage.Substitutions", voice.path("Substitutions"));
        for (String name : PUSH_MESSAGES) {
            checkPush("MessageConfiguration." + name, configuration.path(name));
        }
    }

    private static void checkPush(String path, JsonNode push) {
        for (Map.Entry<String, JsonNode> member : push.properties()) {
            String name = member.getKey();
            JsonNode value = member.getValue();
            switch (name) {
                case "Body" -> checkText(path + ".Body", value, MAX_RAW_CONTENT_CHARACTERS);
                case "RawContent" -> checkText(path + ".RawContent", value, MAX_RAW_CONTENT_CHARACTERS);
                case "Substitutions" -> checkSubstitutions(path + ".Substitutions", value);
                case "Data" -> {
                    if (value.size() > MAX_DATA_ENTRIES) {
                        throw new RuleViolation(path + ".Data may hold at most " + MAX_DATA_ENTRIES + " entries");
                    }
                    value.properties().forEach(entry -> {
                        checkLength(path + ".Data key", entry.getKey(), MAX_CONTEXT_KEY_LENGTH);
                        checkText(path + ".Data." + abbreviate(entry.getKey()), entry.getValue(),
                                MAX_CONTEXT_VALUE_LENGTH);
                    });
                }
                default -> {
                    if (value.isTextual()) {
                        checkText(path + "." + name, value, MAX_SHORT_STRING * 2);
                    }
                }
            }
        }
    }

    private static void checkHeaders(String path, JsonNode headers) {
        if (headers.size() > MAX_HEADERS) {
            throw new RuleViolation(path + " may hold at most " + MAX_HEADERS + " headers");
        }
        for (int i = 0; i < headers.size(); i++) {
            JsonNode header = headers.get(i);
            String name = header.path("Name").asText("");
            if (name.isEmpty()) {
                throw new RuleViolation(path + "[" + i + "].Name is required");
            }
            checkLength(path + "[" + i + "].Name", name, MAX_HEADER_NAME_LENGTH);
            checkText(path + "[" + i + "].Value", header.get("Value"), MAX_HEADER_VALUE_LENGTH);
        }
    }

    private static SendRequest.Overrides overrides(String path, JsonNode configuration) {
        Optional<String> body = text(configuration, "BodyOverride");
        body.ifPresent(value -> checkLength(path + ".BodyOverride", value, MAX_BODY_CHARACTERS));
        Optional<String> title = text(configuration, "TitleOverride");
        title.ifPresent(value -> checkLength(path + ".TitleOverride", value, MAX_TITLE_CHARACTERS));
        Optional<String> raw = text(configuration, "RawContent");
        raw.ifPresent(value -> checkLength(path + ".RawContent", value, MAX_RAW_CONTENT_CHARACTERS));
        return new SendRequest.Overrides(body, title, raw,
                checkSubstitutions(path + ".Substitutions", configuration.path("Substitutions")),
                context(path + ".Context", configuration.path("Context")));
    }

    /** Substitutions as a map of variable to values, checked; empty when absent. */
    static Map<String, List<String>> checkSubstitutions(String path, JsonNode substitutions) {
        if (substitutions.size() > MAX_SUBSTITUTION_KEYS) {
            throw new RuleViolation(path + " may hold at most " + MAX_SUBSTITUTION_KEYS + " variables");
        }
        Map<String, List<String>> checked = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : substitutions.properties()) {
            String key = entry.getKey();
            checkLength(path + " variable name", key, MAX_CONTEXT_KEY_LENGTH);
            JsonNode values = entry.getValue();
            if (values.size() > MAX_SUBSTITUTION_VALUES) {
                throw new RuleViolation(path + "." + key + " may hold at most " + MAX_SUBSTITUTION_VALUES + " values");
            }
            List<String> list = new ArrayList<>(values.size());
            for (JsonNode value : values) {
                checkLength(path + "." + key, value.asText(), MAX_SUBSTITUTION_VALUE_LENGTH);
                list.add(value.asText());
            }
            checked.put(key, List.copyOf(list));
        }
        return checked;
    }

    private static Map<String, String> context(String path, JsonNode context) {
        if (context.size() > MAX_CONTEXT_ENTRIES) {
            throw new RuleViolation(path + " may hold at most " + MAX_CONTEXT_ENTRIES + " entries");
        }
        Map<String, String> checked = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : context.properties()) {
            checkLength(path + " key", entry.getKey(), MAX_CONTEXT_KEY_LENGTH);
            checkLength(path + "." + entry.getKey(), entry.getValue().asText(), MAX_CONTEXT_VALUE_LENGTH);
            checked.put(entry.getKey(), entry.getValue().asText());
        }
        return checked;
    }

    private static void checkKey(String path, String key, int limit) {
        if (key.isBlank()) {
            throw new RuleViolation(path.substring(0, path.indexOf('.')) + " has an empty key");
        }
        if (key.length() > limit) {
            throw new RuleViolation(path.substring(0, path.indexOf('.')) + " key '" + abbreviate(key) + "' has "
                    + key.length() + " characters; at most " + limit);
        }
    }

    private static Optional<String> text(JsonNode node, String member) {
        return Optional.ofNullable(node.get(member)).map(JsonNode::asText);
    }

    private static void checkText(String path, JsonNode value, int limit) {
        if (value != null) {
            checkLength(path, value.asText(), limit);
        }
    }

    static void checkLength(String path, String value, int limit) {
        if (value.length() > limit) {
            throw new RuleViolation(path + " has " + value.length() + " characters; at most " + limit);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
