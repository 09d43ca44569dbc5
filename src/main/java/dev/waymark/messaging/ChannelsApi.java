package dev.waymark.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.apps.AppLookup;
import dev.waymark.apps.AppStore;
import dev.waymark.error.ApiException;
import dev.waymark.http.ApiRequest;
import dev.waymark.http.ApiResponse;
import dev.waymark.http.Operation;
import dev.waymark.wire.Json;
import dev.waymark.wire.ShapeReader;
import dev.waymark.wire.WireTime;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * GetChannels, and Get, Update and Delete of the ten channels. Every answer is 200 with the channel response as its
 * body; secrets sent in an update are never stored and so never answered.
 */
public final class ChannelsApi {
    /** The largest channel request body read: a certificate and its key, or a service-account file, are a few KB. */
    public static final long MAX_BODY_BYTES = 64 * 1024;
    /** What the email channel answers as MessagesPerSecond: Pinpoint's rate for a new (SES sandbox) account. */
    static final int EMAIL_MESSAGES_PER_SECOND = 1;
    /** What the SMS channel answers as Promotional- and TransactionalMessagesPerSecond: Pinpoint's default. */
    static final int SMS_MESSAGES_PER_SECOND = 20;
    /** The members of the ChannelResponse that GetChannels answers for each channel. */
    private static final List<String> LISTED = List.of("ApplicationId", "CreationDate", "Enabled", "HasCredential",
            "Id", "IsArchived", "LastModifiedBy", "LastModifiedDate", "Version");

    private final AppStore apps;
    private final SqlChannelStore channels;
    private final Clock clock;

    public ChannelsApi(AppStore apps, SqlChannelStore channels, Clock clock) {
        this.apps = apps;
        this.channels = channels;
        this.clock = clock;
    }

    /** Get*Channel. */
    public Operation get(ChannelKind kind) {
        return request -> {
            String appId = AppLookup.require(apps, request.label("ApplicationId")).id();
            return ApiResponse.ok(response(channels.read(appId, kind).orElseThrow(() -> notFound(kind, appId))));
        };
    }

    /** Update*Channel: creates the channel when the app has none of this kind. */
    public Operation update(ChannelKind kind) {
        return request -> {
            String appId = request.label("ApplicationId");
            ObjectNode body = ShapeReader.read(Json.parseBody(request.body()), kind.request());
            ChannelUpdate update = ChannelRules.check(kind, body);
            StoredChannel saved = channels.update(appId, update, Instant.ofEpochMilli(clock.millis()),
                    request.caller().accessKeyId()).orElseThrow(() -> AppLookup.notFound(appId));
            return ApiResponse.ok(response(saved));
        };
    }

    /** Delete*Channel: the channel as it was. */
    public Operation delete(ChannelKind kind) {
        return request -> {
            String appId = AppLookup.require(apps, request.label("ApplicationId")).id();
            return ApiResponse.ok(response(channels.delete(appId, kind).orElseThrow(() -> notFound(kind, appId))));
        };
    }

    /** GetChannels: each channel the app has, keyed by its ChannelType. */
    public ApiResponse list(ApiRequest request) {
        String appId = AppLookup.require(apps, request.label("ApplicationId")).id();
        ObjectNode listed = Json.MAPPER.createObjectNode();
        for (StoredChannel channel : channels.list(appId)) {
            ObjectNode full = response(channel);
            ObjectNode item = listed.putObject(channel.kind().platform());
            for (String member : LISTED) {
                JsonNode value = full.get(member);
                if (value != null) {
                    item.set(member, value);
                }
            }
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("Channels", listed);
        return ApiResponse.ok(body);
    }

    private static ApiException notFound(ChannelKind kind, String appId) {
        return ApiException.notFound("The " + kind.platform() + " channel of application '" + appId
                + "' is not set; Update" + kind.operationName() + "Channel sets it");
    }

    /** EmailChannelResponse and its siblings. */
    static ObjectNode response(StoredChannel channel) {
        ChannelKind kind = channel.kind();
        ObjectNode response = Json.MAPPER.createObjectNode();
        response.put("ApplicationId", channel.appId());
        response.put("CreationDate", WireTime.format(channel.created()));
        response.put("Enabled", channel.enabled());
        response.put("HasCredential", !channel.credentials().isEmpty());
        response.put("Id", kind.path());
        response.put("IsArchived", false);
        channel.modifiedBy().ifPresent(by -> response.put("LastModifiedBy", by));
        response.put("LastModifiedDate", WireTime.format(channel.modified()));
        response.put("Platform", kind.platform());
        response.put("Version", channel.version());
        for (String member : kind.answered()) {
            JsonNode value = channel.settings().get(member);
            if (value != null) {
                response.set(member, value);
            }
        }
        switch (kind) {
            case EMAIL -> response.put("MessagesPerSecond", EMAIL_MESSAGES_PER_SECOND);
            case SMS -> response.put("PromotionalMessagesPerSecond", SMS_MESSAGES_PER_SECOND)
                    .put("TransactionalMessagesPerSecond", SMS_MESSAGES_PER_SECOND);
            case GCM -> response.put("HasFcmServiceCredentials", channel.credentials().contains("ServiceJson"));
            case APNS, APNS_SANDBOX, APNS_VOIP, APNS_VOIP_SANDBOX ->
                    response.put("HasTokenKey", channel.credentials().contains("TokenKey"));
            case VOICE, BAIDU, ADM -> { }
        }
        return response;
    }
}
