package dev.waymark.messaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A SendMessages or SendUsersMessages request as {@link SendRules} accepted it: the recipients in request order, the
 * message configuration (DirectMessageConfiguration as read), the templates it names by type, its Context and TraceId.
 */
record SendRequest(List<Recipient> recipients, ObjectNode messageConfiguration,
                   Map<TemplateType, TemplateChoice> templates, Map<String, String> context,
                   Optional<String> traceId) {

    /** Where a recipient comes from: an address (with its ChannelType), an endpoint id, or a user id. */
    enum Kind { ADDRESS, ENDPOINT, USER }

    /** One key of Addresses, Endpoints or Users with what its configuration overrides. */
    record Recipient(Kind kind, String key, Optional<String> channelType, Overrides overrides) {}

    /**
     * AddressConfiguration or EndpointSendConfiguration: BodyOverride, TitleOverride, RawContent, and Substitutions
     * and Context, which win over the message's own.
     */
    record Overrides(Optional<String> body, Optional<String> title, Optional<String> rawContent,
                     Map<String, List<String>> substitutions, Map<String, String> context) {
        static final Overrides NONE = new Overrides(Optional.empty(), Optional.empty(), Optional.empty(), Map.of(),
                Map.of());
    }

    /** A template named in TemplateConfiguration, at a version or (empty) at its active version when sent. */
    record TemplateChoice(String name, Optional<Integer> version) {}
}
