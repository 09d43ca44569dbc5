package dev.waymark.analytics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.apps.AppLookup;
import dev.waymark.apps.AppStore;
import dev.waymark.error.ApiException;
import dev.waymark.http.ApiRequest;
import dev.waymark.http.ApiResponse;
import dev.waymark.wire.Json;
import dev.waymark.wire.ShapeReader;
import dev.waymark.wire.WireTime;
import java.time.Clock;
import java.time.Instant;

/**
 * PutEventStream, GetEventStream, DeleteEventStream: the app's event-stream configuration, answered as EventStream.
 * Records are delivered by {@link EventStreamDeliverer}; ExternalId, deprecated and never sent by WriteEventStream,
 * is not answered.
 */
public final class EventStreamsApi {
    /** A WriteEventStream is two strings of at most 2,048 characters: 16 KiB leaves room for escapes. */
    public static final long MAX_BODY_BYTES = 16 * 1024;

    private final AppStore apps;
    private final EventStreamStore streams;
    private final Clock clock;
    private final boolean allowHttp;

    public EventStreamsApi(AppStore apps, EventStreamStore streams, Clock clock) {
        this(apps, streams, clock, false);
    }

    /** With {@code allowHttp} (--allow-http-delivery), a webhook destination may be http:// too, for local use. */
    public EventStreamsApi(AppStore apps, EventStreamStore streams, Clock clock, boolean allowHttp) {
        this.apps = apps;
        this.streams = streams;
        this.clock = clock;
        this.allowHttp = allowHttp;
    }

    /** PutEventStream: creates or replaces the app's stream. */
    public ApiResponse put(ApiRequest request) {
        String appId = request.label("ApplicationId");
        ObjectNode body = ShapeReader.read(Json.parseBody(request.body()), EventStreamShapes.WRITE_EVENT_STREAM);
        String destination = body.get("DestinationStreamArn").textValue();
        String role = body.get("RoleArn").textValue();
        EventStreamRules.check(destination, role, allowHttp);
        // LastUpdatedBy: Pinpoint names the IAM identity; Waymark the access key, or "anonymous" without signatures.
        EventStream stream = new EventStream(appId, destination, role,
                request.caller().accessKeyId().orElse("anonymous"), Instant.ofEpochMilli(clock.millis()));
        if (!streams.put(stream)) {
            throw AppLookup.notFound(appId);
        }
        return ApiResponse.ok(response(stream));
    }

    /** GetEventStream: NotFound when the app has none. */
    public ApiResponse get(ApiRequest request) {
        String appId = request.label("ApplicationId");
        AppLookup.require(apps, appId);
        return ApiResponse.ok(response(streams.find(appId).orElseThrow(() -> noStream(appId))));
    }

    /** DeleteEventStream: answers the stream it deleted; NotFound when the app has none. */
    public ApiResponse delete(ApiRequest request) {
        String appId = request.label("ApplicationId");
        AppLookup.require(apps, appId);
        return ApiResponse.ok(response(streams.delete(appId).orElseThrow(() -> noStream(appId))));
    }

    private static ApiException noStream(String appId) {
        return ApiException.notFound("Application '" + appId + "' has no event stream");
    }

    private static ObjectNode response(EventStream stream) {
        ObjectNode response = Json.MAPPER.createObjectNode();
        response.put("ApplicationId", stream.appId());
        response.put("DestinationStreamArn", stream.destination());
        response.put("LastModifiedDate", WireTime.format(stream.modified()));
        response.put("LastUpdatedBy", stream.updatedBy());
        response.put("RoleArn", stream.roleArn());
        return response;
    }
}
