package dev.waymark.journeys;

import dev.waymark.error.ApiException;

/** NotFoundException for a journey, as Pinpoint words it; for every handler that looks one up. */
public final class JourneyLookup {
    private JourneyLookup() {}

    public static ApiException notFound(String appId, String journeyId) {
        return ApiException.notFound("Journey '" + journeyId + "' not found in application '" + appId + "'");
    }
}
