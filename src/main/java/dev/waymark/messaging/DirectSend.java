package dev.waymark.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.rules.RuleViolation;
import dev.waymark.wire.Json;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Turns a checked direct send into one outbox message per address or endpoint, and a result at once for each
 * recipient that cannot be sent to: an endpoint that does not exist, is INACTIVE or opted out, a channel the app
 * has not enabled, an address that repeats one already in the request, a message that cannot be rendered.
 */
final class DirectSend {
    /**
     * The most characters one request's messages may hold once rendered, together: they stay in memory until all are
     * queued in one transaction, so 100 recipients of a 600,000-character email (120 MB) would take the heap.
     */
    static final long MAX_RENDERED_CHARACTERS = 4_000_000;

    /** The endpoints a send reads, as GetEndpoint answers them. */
    interface Audience {
        /** The endpoint with this id (in any letter case). */
        Optional<ObjectNode> endpoint(String appId, String endpointId);

        /** Every endpoint of a user (at most 15). */
        List<ObjectNode> userEndpoints(String appId, String userId);
    }

    /** The message templates a send reads. */
    interface Templates {
        /** The template at {@code version}, else at its active version; empty when either is absent. */
        Optional<StoredTemplate> find(TemplateType type, String name, Optional<Integer> version);
    }

    /** How a recipient's message stands before the outbox has it: queued, or settled with this result. */
    record Entry(SendRequest.Recipient recipient, Optional<String> endpointId, Optional<String> address,
                 Optional<NewMessage> queued, Optional<MessageResults.Result> settled) {}

    private final Audience audience;
    private final ChannelLookup channels;
    private final Templates templates;
    private final MessageContent content;
    private final Supplier<String> ids;

    DirectSend(Audience audience, ChannelLookup channels, Templates templates, DirectContent content,
               Supplier<String> ids) {
        this(audience, channels, templates, content, ids, EmailTracking.off(), template -> true);
    }

    /** With emails to endpoints tracked, unless {@code trackedTemplate} says no for the email template used. */
    DirectSend(Audience audience, ChannelLookup channels, Templates templates, DirectContent content,
               Supplier<String> ids, EmailTracking tracking, Predicate<StoredTemplate> trackedTemplate) {
        this.audience = audience;
        this.channels = channels;
        this.templates = templates;
        this.content = new MessageContent(content, tracking, trackedTemplate);
        this.ids = ids;
    }

    /**
     * One entry per address, per endpoint, and per endpoint of each user, in request order. A template the request
     * names that does not exist (or not at the version named) refuses the whole request.
     */
    List<Entry> plan(String appId, SendRequest request) {
        Map<TemplateType, StoredTemplate> chosen = new EnumMap<>(TemplateType.class);
        request.templates().forEach((type, choice) -> chosen.put(type,
                templates.find(type, choice.name(), choice.version())
                        .orElseThrow(() -> TemplatesApi.notFound(type, choice.name(), choice.version()))));
        Planning planning = new Planning(appId, request, chosen);
        List<Entry> entries = new ArrayList<>();
        for (SendRequest.Recipient recipient : request.recipients()) {
            switch (recipient.kind()) {
                case ADDRESS -> {
                    String channelType = recipient.channelType().orElseThrow();
                    ObjectNode variables = Json.MAPPER.createObjectNode().put("Address", recipient.key())
                            .put("ChannelType", channelType);
                    entries.add(planning.entry(recipient, Optional.empty(), Optional.empty(), channelType,
                            recipient.key(), variables));
                }
                case ENDPOINT -> entries.add(audience.endpoint(appId, recipient.key())
                        .map(endpoint -> planning.endpointEntry(recipient, endpoint))
                        .orElseGet(() -> settled(recipient, Optional.of(recipient.key()), Optional.empty(),
                                MessageResults.Result.failure(404, "Endpoint '" + recipient.key() + "' not found"))));
                case USER -> {
                    for (ObjectNode endpoint : audience.userEndpoints(appId, recipient.key())) {
                        entries.add(planning.endpointEntry(recipient, endpoint));
                    }
                }
                default -> throw new IllegalStateException(recipient.kind().name());
            }
        }
        return entries;
    }

    /** One request's planning: its templates, the destinations already taken, the app's channels as read once. */
    private final class Planning {
        private final String appId;
        private final SendRequest request;
        private final Map<TemplateType, StoredTemplate> chosen;
        private final Origin origin;
        private final Set<String> destinations = new HashSet<>();
        private final Map<String, Optional<ChannelState>> channelsRead = new HashMap<>();
        /** Characters of the messages rendered so far for this request. */
        private long renderedCharacters;

        Planning(String appId, SendRequest request, Map<TemplateType, StoredTemplate> chosen) {
            this.appId = appId;
            this.request = request;
            this.chosen = chosen;
            this.origin = Origin.direct(request.traceId());
        }

        Entry endpointEntry(SendRequest.Recipient recipient, ObjectNode endpoint) {
            String id = endpoint.path("Id").asText();
            Optional<String> address = Optional.ofNullable(endpoint.get("Address")).map(JsonNode::asText)
                    .filter(value -> !value.isBlank());
            // The result is keyed as the request spelled the endpoint id; a user's endpoints by their own ids.
            Optional<String> endpointId = Optional.of(recipient.kind() == SendRequest.Kind.ENDPOINT ? recipient.key()
                    : id);
            if ("INACTIVE".equals(endpoint.path("EndpointStatus").asText())) {
                return settled(recipient, endpointId, address, MessageResults.Result.failure(400,
                        "Endpoint '" + id + "' is INACTIVE"));
            }
            if ("ALL".equals(endpoint.path("OptOut").asText())) {
                return settled(recipient, endpointId, address, MessageResults.Result.optOut(
                        "Endpoint '" + id + "' has opted out of all messages (OptOut ALL)"));
            }
            String channelType = endpoint.path("ChannelType").asText("");
            if (!SendRules.ADDRESS_CHANNELS.contains(channelType)) {
                return settled(recipient, endpointId, address, MessageResults.Result.failure(400, "Endpoint '" + id
                        + "' has ChannelType " + (channelType.isEmpty() ? "none" : channelType)
                        + ", which a direct message cannot reach"));
            }
            if (address.isEmpty()) {
                return settled(recipient, endpointId, address, MessageResults.Result.failure(400,
                        "Endpoint '" + id + "' has no Address"));
            }
            return entry(recipient, endpointId, Optional.of(id), channelType, address.get(), endpoint);
        }

        Entry entry(SendRequest.Recipient recipient, Optional<String> endpointId, Optional<String> storedId,
                    String channelType, String address, ObjectNode variables) {
            Optional<String> shownAddress = Optional.of(address);
            Optional<ChannelState> channel = channelsRead.computeIfAbsent(channelType,
                    type -> channels.find(appId, type));
            Optional<String> problem = MessageContent.addressProblem(channelType, address)
                    .or(() -> MessageContent.channelProblem(channelType, channel));
            if (problem.isPresent()) {
                return settled(recipient, endpointId, shownAddress, MessageResults.Result.failure(400,
                        problem.get()));
            }
            // Email addresses compare without case, as mail servers deliver them; phone numbers and tokens exactly.
            String destination = channelType + " " + (channelType.equals("EMAIL") ? address.toLowerCase(Locale.ROOT)
                    : address);
            if (!destinations.add(destination)) {
                return settled(recipient, endpointId, shownAddress, MessageResults.Result.duplicate(
                        "The address " + address + " is already a recipient of this message"));
            }
            String id = ids.get();
            Optional<StoredTemplate> template = Optional.ofNullable(chosen.get(
                    MessageContent.templateType(channelType)));
            ObjectNode rendered;
            try {
                rendered = content.build(new MessageContent.Addressed(appId, id, origin, storedId), channelType,
                        request.messageConfiguration(), template, recipient.overrides(), request.context(),
                        channel.get(), variables);
            } catch (DirectContent.Undeliverable e) {
                return settled(recipient, endpointId, shownAddress, MessageResults.Result.failure(400,
                        e.getMessage()));
            }
            renderedCharacters += characters(rendered);
            if (renderedCharacters > MAX_RENDERED_CHARACTERS) {
                throw new RuleViolation("The messages of one request may hold at most " + MAX_RENDERED_CHARACTERS
                        + " characters once rendered (the request's messages are kept in memory until they are "
                        + "queued together); send fewer recipients per request");
            }
            NewMessage message = new NewMessage(id, appId, "direct:" + id, MessageContent.channelOf(channelType),
                    address, storedId,
                    rendered, origin, Optional.empty());
            return new Entry(recipient, endpointId, shownAddress, Optional.of(message), Optional.empty());
        }
    }

    /** The characters of every text member, at any depth. */
    private static long characters(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue().length();
        }
        long total = 0;
        for (JsonNode child : node) {
            total += characters(child);
        }
        return total;
    }

    private static Entry settled(SendRequest.Recipient recipient, Optional<String> endpointId,
                                 Optional<String> address, MessageResults.Result result) {
        return new Entry(recipient, endpointId, address, Optional.empty(), Optional.of(result));
    }
}
