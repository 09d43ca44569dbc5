package dev.waymark.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.audience.EventRecord;
import dev.waymark.messaging.render.MessageRenderer;
import dev.waymark.wire.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The journey engine's messages (engine.md E2), built by the same steps as a direct send ({@link MessageContent}):
 * the activity's MessageConfig is read as the matching part of a direct send's MessageConfiguration (EMAIL's
 * FromAddress as EmailMessage.FromAddress, SMS's members as SMSMessage's, PUSH's TimeToLive as
 * DefaultPushNotificationMessage's), the endpoint is the template's variables, and an email to it gets
 * {@code unsubscribeUrl} and tracking. A CUSTOM activity has no template and no channel: its message is the
 * activity's Data and the endpoint, for the DeliveryUri, whose rules the CUSTOM transport checks when it sends.
 *
 * <p>Waymark's choices where Pinpoint is silent: an endpoint that is INACTIVE or opted out of all messages by the time
 * its message is due, or that has no Address, is not sent to (FAILURE_PERMANENT, the reason in the event log).
 */
public final class JourneyMessageBuilder implements JourneyMessages {
    /** Pinpoint's push platforms: the endpoint ChannelTypes a PUSH activity reaches. */
    static final Set<String> PUSH_TYPES = Set.of("GCM", "APNS", "APNS_SANDBOX", "APNS_VOIP", "APNS_VOIP_SANDBOX",
            "ADM", "BAIDU");
    private static final String UNSUPPORTED_CHANNEL = "UNSUPPORTED_CHANNEL";
    private static final String FAILURE_PERMANENT = "FAILURE_PERMANENT";

    private final DirectSend.Templates templates;
    private final ChannelLookup channels;
    private final MessageContent content;

    /**
     * Messages from {@code templates} and the app's {@code channels}, rendered by {@code renderer}; emails tracked by
     * {@code tracking} unless their template's tags ({@code templateTags}, by tag resource id) say
     * {@code waymark:tracking=off}, as direct sends are.
     */
    public JourneyMessageBuilder(SqlTemplateStore templates, ChannelLookup channels, MessageRenderer renderer,
                                 EmailTracking tracking, Function<String, Map<String, String>> templateTags) {
        this(templates::findRecent, channels, new MessageContent(new DirectContent(renderer), tracking,
                MessageContent.trackedByTags(templateTags)));
    }

    JourneyMessageBuilder(DirectSend.Templates templates, ChannelLookup channels, MessageContent content) {
        this.templates = templates;
        this.channels = channels;
        this.content = content;
    }

    @Override
    public Prepared prepare(Request request) {
        ObjectNode endpoint = request.endpoint();
        String endpointId = endpoint.path("Id").asText("");
        String channelType = endpoint.path("ChannelType").asText("");
        if (!reaches(request, channelType)) {
            return new Refused(UNSUPPORTED_CHANNEL, "Endpoint '" + endpointId + "' has ChannelType "
                    + (channelType.isEmpty() ? "none" : channelType) + ", which a " + request.kind()
                    + " activity does not reach");
        }
        Optional<String> unreachable = unreachable(endpoint, endpointId);
        if (unreachable.isPresent()) {
            return new Refused(FAILURE_PERMANENT, unreachable.get());
        }
        if (request.kind().equals("CUSTOM")) {
            return custom(request, endpointId);
        }
        String address = endpoint.path("Address").asText("");
        Optional<String> problem = address.isBlank()
                ? Optional.of("Endpoint '" + endpointId + "' has no Address")
                : MessageContent.addressProblem(channelType, address);
        if (problem.isPresent()) {
            return new Refused(FAILURE_PERMANENT, problem.get());
        }
        TemplateType type = MessageContent.templateType(channelType);
        Optional<StoredTemplate> template = Optional.empty();
        if (request.templateName().isPresent()) {
            String name = request.templateName().get();
            Optional<Integer> version = request.templateVersion().flatMap(JourneyMessageBuilder::version);
            if (request.templateVersion().isPresent() && version.isEmpty()) {
                return new Refused(FAILURE_PERMANENT, "TemplateVersion '" + request.templateVersion().get()
                        + "' is not a version number");
            }
            template = templates.find(type, name, version);
            if (template.isEmpty()) {
                return new Refused(FAILURE_PERMANENT, "The " + type + " template '" + name + "' "
                        + version.map(v -> "has no version " + v).orElse("does not exist"));
            }
        }
        Optional<ChannelState> channel = channels.find(request.appId(), channelType);
        problem = MessageContent.channelProblem(channelType, channel);
        if (problem.isPresent()) {
            return new Refused(FAILURE_PERMANENT, problem.get());
        }
        ObjectNode rendered;
        try {
            rendered = content.build(new MessageContent.Addressed(request.appId(), request.messageId(),
                            request.origin(), Optional.of(endpointId)), channelType,
                    configuration(request.kind(), request.messageConfig()), template, SendRequest.Overrides.NONE,
                    Map.of(), channel.get(), endpoint);
        } catch (DirectContent.Undeliverable e) {
            return new Refused(FAILURE_PERMANENT, e.getMessage());
        }
        return new Ready(new NewMessage(request.messageId(), request.appId(), request.idempotencyKey(),
                MessageContent.channelOf(channelType), address, Optional.of(endpointId), rendered, request.origin(),
                request.rate()));
    }

    @Override
    public EventRecord notSent(String appId, String endpointKey, Origin origin, String kind, String status,
                               String reason, String recordId, Instant at) {
        return OutboxEvents.notSent(appId, endpointKey, recordId, origin, kind, status, reason, at);
    }

    /** Whether the activity's kind reaches an endpoint of this ChannelType. */
    private static boolean reaches(Request request, String channelType) {
        return switch (request.kind()) {
            case "EMAIL", "SMS" -> request.kind().equals(channelType);
            case "PUSH" -> PUSH_TYPES.contains(channelType);
            case "CUSTOM" -> (request.endpointTypes().isEmpty() ? List.of("CUSTOM") : request.endpointTypes())
                    .contains(channelType);
            default -> false;
        };
    }

    /** Why an endpoint must not be sent to whatever the activity: it became INACTIVE or opted out since it entered. */
    private static Optional<String> unreachable(ObjectNode endpoint, String endpointId) {
        if (endpointId.isEmpty()) {
            return Optional.of("The endpoint has no Id");
        }
        if ("INACTIVE".equals(endpoint.path("EndpointStatus").asText())) {
            return Optional.of("Endpoint '" + endpointId + "' is INACTIVE");
        }
        if ("ALL".equals(endpoint.path("OptOut").asText())) {
            return Optional.of("Endpoint '" + endpointId + "' has opted out of all messages (OptOut ALL)");
        }
        return Optional.empty();
    }

    /** The CUSTOM message: Pinpoint's custom-channel payload parts, as {@link CustomTransport} reads them. */
    private static Prepared custom(Request request, String endpointId) {
        Optional<String> uri = request.deliveryUri().filter(value -> !value.isBlank());
        if (uri.isEmpty()) {
            return new Refused(FAILURE_PERMANENT, "The CUSTOM activity has no DeliveryUri");
        }
        ObjectNode message = Json.MAPPER.createObjectNode();
        JsonNode data = request.messageConfig().get("Data");
        if (data != null && data.isTextual()) {
            message.put("Data", data.asText());
        }
        message.putObject("Endpoints").set(endpointId, request.endpoint().deepCopy());
        return new Ready(new NewMessage(request.messageId(), request.appId(), request.idempotencyKey(),
                Channel.CUSTOM, uri.get(), Optional.of(endpointId), message, request.origin(), request.rate()));
    }

    /** The activity's MessageConfig as the part of a direct send's MessageConfiguration that means the same. */
    private static ObjectNode configuration(String kind, ObjectNode config) {
        ObjectNode configuration = Json.MAPPER.createObjectNode();
        switch (kind) {
            case "EMAIL" -> {
                JsonNode from = config.get("FromAddress");
                if (from != null && from.isTextual() && !from.asText().isBlank()) {
                    configuration.putObject("EmailMessage").set("FromAddress", from);
                }
            }
            case "SMS" -> {
                ObjectNode sms = configuration.putObject("SMSMessage");
                for (String member : List.of("MessageType", "OriginationNumber", "SenderId", "EntityId",
                        "TemplateId")) {
                    JsonNode value = config.get(member);
                    if (value != null && value.isTextual()) {
                        sms.set(member, value);
                    }
                }
            }
            case "PUSH" -> {
                // JourneyPushMessage's TimeToLive is a string; a direct send's (and so the push content's) a number.
                JsonNode ttl = config.get("TimeToLive");
                if (ttl != null && !ttl.isNull()) {
                    ObjectNode push = configuration.putObject("DefaultPushNotificationMessage");
                    try {
                        push.put("TimeToLive", Long.parseLong(ttl.asText().trim()));
                    } catch (NumberFormatException e) {
                        push.set("TimeToLive", ttl);
                    }
                }
            }
            default -> { }
        }
        return configuration;
    }

    private static Optional<Integer> version(String text) {
        try {
            int version = Integer.parseInt(text.trim());
            return version > 0 ? Optional.of(version) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
