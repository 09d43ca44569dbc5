package dev.waymark.apps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.http.ApiRequest;
import dev.waymark.http.ApiResponse;
import dev.waymark.store.Store;
import dev.waymark.wire.Json;
import dev.waymark.wire.ShapeReader;
import dev.waymark.wire.WireTime;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * GetApplicationSettings, UpdateApplicationSettings. An update replaces each member it sends as a whole and keeps
 * every member it leaves out; an empty member ({@code "QuietTime": {}}) clears it.
 */
public final class AppSettingsApi {
    /** The most an UpdateApplicationSettings body may take: every member at its bounds fits in a few KiB. */
    public static final long MAX_BODY_BYTES = 16 * 1024;
    /** Members answered as an empty object when never set, as Pinpoint answers them for a new app. */
    private static final List<String> ALWAYS_ANSWERED = List.of("CampaignHook", "Limits", "QuietTime");

    private final Store store;
    private final Clock clock;

    public AppSettingsApi(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public ApiResponse get(ApiRequest request) {
        String appId = request.label("ApplicationId");
        AppSettings settings = store.apps().settings(appId).orElseThrow(() -> AppLookup.notFound(appId));
        return ApiResponse.ok(response(settings));
    }

    public ApiResponse update(ApiRequest request) {
        String appId = request.label("ApplicationId");
        ObjectNode sent = ShapeReader.read(Json.parseBody(request.body()),
                AppSettingsShapes.WRITE_APPLICATION_SETTINGS_REQUEST);
        AppSettingsRules.check(sent);
        Instant now = Instant.ofEpochMilli(clock.millis());
        AppSettings saved = store.apps().updateSettings(appId, current -> {
            ObjectNode members = current.members();
            // Top-level members replace the stored ones whole; nested members are not merged.
            members.setAll(sent);
            return AppSettings.of(appId, members.toString(), now);
        }).orElseThrow(() -> AppLookup.notFound(appId));
        return ApiResponse.ok(response(saved));
    }

    /** ApplicationSettingsResource; CloudWatchMetricsEnabled and EventTaggingEnabled are stored but not answered. */
    private static ObjectNode response(AppSettings settings) {
        JsonNode members = settings.members();
        ObjectNode response = Json.MAPPER.createObjectNode();
        response.put("ApplicationId", settings.appId());
        for (String member : List.of("CampaignHook", "LastModifiedDate", "Limits", "QuietTime", "JourneyLimits")) {
            if (member.equals("LastModifiedDate")) {
                response.put(member, WireTime.format(settings.modifiedAt()));
            } else if (members.has(member)) {
                response.set(member, members.get(member));
            } else if (ALWAYS_ANSWERED.contains(member)) {
                response.set(member, Json.MAPPER.createObjectNode());
            }
        }
        return response;
    }
}
