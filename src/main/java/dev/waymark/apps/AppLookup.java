package dev.waymark.apps;

import dev.waymark.error.ApiException;

/** Finds the app a request names, or answers NotFoundException as Pinpoint words it; for every handler that needs one. */
public final class AppLookup {
    private AppLookup() {}

    /** The app with this id, or NotFoundException. */
    public static App require(AppStore apps, String appId) {
        return apps.find(appId).orElseThrow(() -> notFound(appId));
    }

    public static ApiException notFound(String appId) {
        return ApiException.notFound("Application '" + appId + "' not found");
    }
}
