package dev.waymark.messaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.apps.AppLookup;
import dev.waymark.apps.AppStore;
import dev.waymark.audience.EndpointStore;
import dev.waymark.http.ApiRequest;
import dev.waymark.http.ApiResponse;
import dev.waymark.messaging.render.MessageRenderer;
import dev.waymark.wire.Ids;
import dev.waymark.wire.Json;
import dev.waymark.wire.ShapeReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * SendMessages and SendUsersMessages: every recipient's message is queued in the outbox in one transaction, then the
 * answer waits, up to the configured bound, for each message's first answer from its transport, as Pinpoint answers
 * synchronously, and reports what happened to each.
 */
public final class MessagesApi {
    /**
     * The largest direct-send body read: an email of 600,000 characters in its parts with room for JSON escapes, and
     * 100 recipients with their overrides.
     */
    public static final long MAX_BODY_BYTES = 4L * 1024 * 1024;

    private final AppStore apps;
    private final DirectSend sends;
    private final Outbox outbox;
    private final Duration wait;

    public MessagesApi(AppStore apps, EndpointStore endpoints, ChannelLookup channels, SqlTemplateStore templates,
                       MessageRenderer renderer, Outbox outbox, Duration wait) {
        this(apps, endpoints, channels, templates, renderer, outbox, wait, EmailTracking.off(), resource -> Map.of());
    }

    /**
     * With emails to endpoints tracked by {@code tracking}, except those of an email template whose tags
     * ({@code templateTags}, by tag resource id) say {@code waymark:tracking=off}.
     */
    public MessagesApi(AppStore apps, EndpointStore endpoints, ChannelLookup channels, SqlTemplateStore templates,
                       MessageRenderer renderer, Outbox outbox, Duration wait, EmailTracking tracking,
                       Function<String, Map<String, String>> templateTags) {
        this.apps = apps;
        this.sends = new DirectSend(new DirectSend.Audience() {
            @Override
            public Optional<ObjectNode> endpoint(String appId, String endpointId) {
                return endpoints.find(appId, endpointId);
            }

            @Override
            public List<ObjectNode> userEndpoints(String appId, String userId) {
                return endpoints.byUser(appId, userId);
            }
        }, channels, templates::find, new DirectContent(renderer), Ids::newId, tracking,
                MessageContent.trackedByTags(templateTags));
        this.outbox = outbox;
        this.wait = wait;
    }

    /** SendMessages: a MessageResponse with a Result per address and an EndpointResult per endpoint. */
    public ApiResponse sendMessages(ApiRequest request) {
        String appId = AppLookup.require(apps, request.label("ApplicationId")).id();
        SendRequest send = SendRules.messages(ShapeReader.read(Json.parseBody(request.body()),
                MessageShapes.MESSAGE_REQUEST));
        List<DirectSend.Entry> entries = sends.plan(appId, send);
        return ApiResponse.ok(MessageResults.messageResponse(appId, request.requestId(), entries, send(entries)));
    }

    /** SendUsersMessages: a SendUsersMessageResponse with a result per endpoint of each user. */
    public ApiResponse sendUsersMessages(ApiRequest request) {
        String appId = AppLookup.require(apps, request.label("ApplicationId")).id();
        SendRequest send = SendRules.users(ShapeReader.read(Json.parseBody(request.body()),
                MessageShapes.SEND_USERS_MESSAGE_REQUEST));
        List<DirectSend.Entry> entries = sends.plan(appId, send);
        return ApiResponse.ok(MessageResults.usersResponse(appId, request.requestId(), send, entries, send(entries)));
    }

    /** Queues every message of the plan in one transaction and waits for their first answers. */
    private Map<String, MessageStatus> send(List<DirectSend.Entry> entries) {
        List<NewMessage> messages = entries.stream().flatMap(entry -> entry.queued().stream()).toList();
        if (messages.isEmpty()) {
            return Map.of();
        }
        outbox.enqueue(messages);
        return outbox.awaitFirstAnswer(messages.stream().map(NewMessage::id).toList(), wait);
    }
}
