package dev.waymark.apps;

import com.fasterxml.jackson.databind.JsonNode;
import dev.waymark.rules.RuleViolation;
import java.util.regex.Pattern;

/**
 * The documented bounds of an app's default settings (WriteApplicationSettingsRequest), each refused with a
 * {@link RuleViolation} that names the member. Reads a body {@link AppSettingsShapes} has already checked, so every
 * member present has its modeled JSON type.
 */
public final class AppSettingsRules {
    private static final Pattern HOUR_MINUTE = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");
    /** A Lambda function name or ARN (with a qualifier) is at most 170 characters (Lambda's own limit). */
    static final int MAX_FUNCTION_NAME = 170;
    /** Pinpoint documents no bound; a URL longer than this is no URL anyone calls. */
    static final int MAX_WEB_URL = 2048;

    private AppSettingsRules() {}

    /** Every member present in {@code request} within its documented bounds. */
    public static void check(JsonNode request) {
        JsonNode limits = request.path("Limits");
        range(limits, "Daily", "Limits.Daily", 0, 100);
        range(limits, "Total", "Limits.Total", 0, 100);
        range(limits, "MessagesPerSecond", "Limits.MessagesPerSecond", 1, 20_000);
        range(limits, "MaximumDuration", "Limits.MaximumDuration", 60, Integer.MAX_VALUE);
        range(limits, "Session", "Limits.Session", 0, Integer.MAX_VALUE);

        JsonNode journeyLimits = request.path("JourneyLimits");
        range(journeyLimits, "DailyCap", "JourneyLimits.DailyCap", 0, 100);
        range(journeyLimits, "TotalCap", "JourneyLimits.TotalCap", 0, 100);
        range(journeyLimits.path("TimeframeCap"), "Cap", "JourneyLimits.TimeframeCap.Cap", 0, 100);
        range(journeyLimits.path("TimeframeCap"), "Days", "JourneyLimits.TimeframeCap.Days", 0, 30);

        JsonNode quietTime = request.path("QuietTime");
        for (String member : new String[] {"Start", "End"}) {
            JsonNode value = quietTime.get(member);
            if (value != null && !HOUR_MINUTE.matcher(value.textValue()).matches()) {
                throw new RuleViolation("QuietTime." + member + " must be a 24-hour HH:MM time such as 02:30 or "
                        + "14:30, not '" + clip(value.textValue()) + "'");
            }
        }
        // A quiet time with one end only has no range to hold messages in; an empty QuietTime clears it.
        if (quietTime.has("Start") != quietTime.has("End")) {
            throw new RuleViolation("QuietTime needs both Start and End, or neither (an empty QuietTime clears it)");
        }

        JsonNode hook = request.path("CampaignHook");
        length(hook, "LambdaFunctionName", "CampaignHook.LambdaFunctionName", MAX_FUNCTION_NAME);
        length(hook, "WebUrl", "CampaignHook.WebUrl", MAX_WEB_URL);
    }

    private static void range(JsonNode parent, String member, String path, int min, int max) {
        JsonNode value = parent.get(member);
        if (value != null && (value.intValue() < min || value.intValue() > max)) {
            throw new RuleViolation(path + " must be " + (max == Integer.MAX_VALUE ? "at least " + min
                    : "between " + min + " and " + max) + ", not " + value.intValue());
        }
    }

    private static void length(JsonNode parent, String member, String path, int max) {
        JsonNode value = parent.get(member);
        if (value != null && value.textValue().length() > max) {
            throw new RuleViolation(path + " must be at most " + max + " characters, not "
                    + value.textValue().length());
        }
    }

    /** A value echoed in a message is cut short: the message must not grow with what a client sends. */
    private static String clip(String value) {
        return value.length() <= 32 ? value : value.substring(0, 32) + "…";
    }
}
