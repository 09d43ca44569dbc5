package dev.waymark.apps;

import static dev.waymark.wire.Shape.Member.optional;

import dev.waymark.wire.Shape.Enumeration;
import dev.waymark.wire.Shape.Kind;
import dev.waymark.wire.Shape.Scalar;
import dev.waymark.wire.Shape.Structure;

/**
 * The request shape of UpdateApplicationSettings, as the 2016-12-01 service model defines it (ServiceModelTest
 * compares it with the model). Kept with the apps concept: no other operation reads it.
 */
public final class AppSettingsShapes {
    private AppSettingsShapes() {}

    private static final Scalar STRING = new Scalar("__string", Kind.STRING);
    private static final Scalar INTEGER = new Scalar("__integer", Kind.INTEGER);
    private static final Scalar BOOLEAN = new Scalar("__boolean", Kind.BOOLEAN);

    static final Structure CAMPAIGN_HOOK = new Structure("CampaignHook",
            optional("LambdaFunctionName", STRING), optional("Mode", new Enumeration("Mode", "DELIVERY", "FILTER")),
            optional("WebUrl", STRING));
    static final Structure CAMPAIGN_LIMITS = new Structure("CampaignLimits",
            optional("Daily", INTEGER), optional("MaximumDuration", INTEGER), optional("MessagesPerSecond", INTEGER),
            optional("Total", INTEGER), optional("Session", INTEGER));
    static final Structure QUIET_TIME = new Structure("QuietTime", optional("End", STRING), optional("Start", STRING));
    static final Structure JOURNEY_LIMITS = new Structure("ApplicationSettingsJourneyLimits",
            optional("DailyCap", INTEGER),
            optional("TimeframeCap", new Structure("JourneyTimeframeCap",
                    optional("Cap", INTEGER), optional("Days", INTEGER))),
            optional("TotalCap", INTEGER));

    /** The body of UpdateApplicationSettings. */
    public static final Structure WRITE_APPLICATION_SETTINGS_REQUEST = new Structure("WriteApplicationSettingsRequest",
            optional("CampaignHook", CAMPAIGN_HOOK), optional("CloudWatchMetricsEnabled", BOOLEAN),
            optional("EventTaggingEnabled", BOOLEAN), optional("Limits", CAMPAIGN_LIMITS),
            optional("QuietTime", QUIET_TIME), optional("JourneyLimits", JOURNEY_LIMITS));
}
