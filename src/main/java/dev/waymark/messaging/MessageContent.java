package dev.waymark.messaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.wire.Arns;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The steps every message builder (direct sends, journey activities) takes for one recipient: the address and the
 * app's channel checked, the content rendered by {@link DirectContent}, and, for an email to an endpoint, Waymark's
 * {@code unsubscribeUrl} and {@link EmailTracking}. One place, so that a journey's email and a direct one cannot
 * drift apart.
 */
final class MessageContent {
    /** No control characters in any address: they would end up in an SMTP command or a header. */
    private static final Pattern ADDRESS_TEXT = Pattern.compile("[^\\p{Cntrl}]+");
    /** One local part and one domain, without spaces or angle brackets: a mailbox, not a display name. */
    private static final Pattern EMAIL_ADDRESS = Pattern.compile("[^@\\s<>,;]+@[^@\\s<>,;]+");

    /**
     * Which message goes to whom, as its tracking tokens say: {@code endpointId} empty for a bare address, which is
     * never tracked (the event log is kept per endpoint, so an open would have nowhere to be recorded).
     */
    record Addressed(String appId, String messageId, Origin origin, Optional<String> endpointId) {}

    private final DirectContent content;
    private final EmailTracking tracking;
    private final Predicate<StoredTemplate> trackedTemplate;

    MessageContent(DirectContent content, EmailTracking tracking, Predicate<StoredTemplate> trackedTemplate) {
        this.content = content;
        this.tracking = tracking;
        this.trackedTemplate = trackedTemplate;
    }

    /** Emails of a template are tracked unless its tags ({@code templateTags}, by tag resource id) say off. */
    static Predicate<StoredTemplate> trackedByTags(Function<String, Map<String, String>> templateTags) {
        return template -> EmailTracking.allowedByTags(templateTags.apply(
                Arns.templateTagId(template.type().name(), template.name())));
    }

    /** Why {@code address} cannot be sent to on {@code channelType}; empty when it can. */
    static Optional<String> addressProblem(String channelType, String address) {
        if (!ADDRESS_TEXT.matcher(address).matches()
                || channelType.equals("EMAIL") && !EMAIL_ADDRESS.matcher(address).matches()) {
            return Optional.of("'" + address + "' is not a valid " + channelType + " address");
        }
        return Optional.empty();
    }

    /** Why the app's channel of {@code channelType} cannot send; empty when it is set up and enabled. */
    static Optional<String> channelProblem(String channelType, Optional<ChannelState> channel) {
        if (channel.isEmpty() || !channel.get().enabled()) {
            return Optional.of("The " + channelType + " channel of this app is "
                    + (channel.isEmpty() ? "not set up" : "disabled"));
        }
        return Optional.empty();
    }

    /** The outbox's channel for a Pinpoint ChannelType: every push platform goes through the push transport. */
    static Channel channelOf(String channelType) {
        return switch (channelType) {
            case "EMAIL" -> Channel.EMAIL;
            case "SMS" -> Channel.SMS;
            case "VOICE" -> Channel.VOICE;
            default -> Channel.PUSH;
        };
    }

    /** The template type a message on {@code channelType} uses. */
    static TemplateType templateType(String channelType) {
        return switch (channelOf(channelType)) {
            case EMAIL -> TemplateType.EMAIL;
            case SMS -> TemplateType.SMS;
            case VOICE -> TemplateType.VOICE;
            default -> TemplateType.PUSH;
        };
    }

    /**
     * The rendered content (see {@link DirectContent#build}); an email to an endpoint gets {@code unsubscribeUrl}
     * (and {@code amazonSESUnsubscribeUrl}) as substitutions and is tracked unless its template says no.
     *
     * @throws DirectContent.Undeliverable when the message cannot be built for this recipient
     */
    ObjectNode build(Addressed to, String channelType, ObjectNode configuration, Optional<StoredTemplate> template,
                     SendRequest.Overrides overrides, Map<String, String> context, ChannelState channel,
                     ObjectNode variables) {
        Optional<String> unsubscribeUrl = channelType.equals("EMAIL") ? to.endpointId().flatMap(endpoint ->
                tracking.unsubscribeUrl(to.appId(), to.messageId(), to.origin(), endpoint)) : Optional.empty();
        ObjectNode rendered = content.build(channelType, configuration, template, overrides, context, channel,
                variables, unsubscribeUrl.map(url -> Map.of("unsubscribeUrl", List.of(url),
                        "amazonSESUnsubscribeUrl", List.of(url))).orElse(Map.<String, List<String>>of()));
        if (unsubscribeUrl.isPresent() && template.map(trackedTemplate::test).orElse(true)) {
            rendered = tracking.apply(rendered, to.appId(), to.messageId(), to.origin(), to.endpointId().get());
        }
        return rendered;
    }
}
