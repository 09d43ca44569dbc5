package dev.waymark.apps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.wire.Json;
import java.time.Instant;
import java.time.LocalTime;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An app's default settings: the members of UpdateApplicationSettings as they were sent ({@code document}, JSON),
 * when they last changed, and the parts the engine reads as the defaults of every journey, parsed once.
 *
 * @param document the stored WriteApplicationSettingsRequest members, "{}" for an app never updated
 * @param modifiedAt when they last changed; an app never updated answers its creation time
 */
public record AppSettings(String appId, String document, Instant modifiedAt, Optional<QuietTime> quietTime,
                          JourneyLimits journeyLimits, CampaignLimits limits) {

    /** QuietTime: no message leaves while the endpoint's local time is from {@code start} to {@code end}. */
    public record QuietTime(LocalTime start, LocalTime end) {}

    /** ApplicationSettingsJourneyLimits; 0 (also when absent) means the limit does not apply, as documented. */
    public record JourneyLimits(int dailyCap, int totalCap, int timeframeCap, int timeframeDays) {}

    /** CampaignLimits; Limits.Daily is documented as the default daily cap of campaigns and journeys. */
    public record CampaignLimits(OptionalInt daily, OptionalInt total, OptionalInt messagesPerSecond,
                                 OptionalInt maximumDuration, OptionalInt session) {}

    /** The settings of an app whose settings were never updated. */
    public static AppSettings defaults(String appId, Instant createdAt) {
        return of(appId, "{}", createdAt);
    }

    /** Settings read from their stored document (written by UpdateApplicationSettings after its rules). */
    public static AppSettings of(String appId, String document, Instant modifiedAt) {
        JsonNode settings = Json.parseStored(document);
        JsonNode quiet = settings.path("QuietTime");
        Optional<QuietTime> quietTime = quiet.hasNonNull("Start") && quiet.hasNonNull("End")
                ? Optional.of(new QuietTime(LocalTime.parse(quiet.get("Start").asText()),
                        LocalTime.parse(quiet.get("End").asText())))
                : Optional.empty();
        JsonNode journey = settings.path("JourneyLimits");
        JsonNode timeframe = journey.path("TimeframeCap");
        JsonNode campaign = settings.path("Limits");
        return new AppSettings(appId, document, modifiedAt, quietTime,
                new JourneyLimits(journey.path("DailyCap").asInt(0), journey.path("TotalCap").asInt(0),
                        timeframe.path("Cap").asInt(0), timeframe.path("Days").asInt(0)),
                new CampaignLimits(integer(campaign, "Daily"), integer(campaign, "Total"),
                        integer(campaign, "MessagesPerSecond"), integer(campaign, "MaximumDuration"),
                        integer(campaign, "Session")));
    }

    /** The stored members as a fresh JSON object the caller may change. */
    public ObjectNode members() {
        return (ObjectNode) Json.parseStored(document);
    }

    private static OptionalInt integer(JsonNode parent, String member) {
        JsonNode value = parent.get(member);
        return value != null && value.isInt() ? OptionalInt.of(value.intValue()) : OptionalInt.empty();
    }
}
