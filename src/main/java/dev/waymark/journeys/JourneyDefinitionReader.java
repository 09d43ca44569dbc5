package dev.waymark.journeys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.error.ApiException;
import dev.waymark.journeys.JourneyDefinition.ActivityNode;
import dev.waymark.journeys.JourneyDefinition.Link;
import dev.waymark.wire.WireTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Turns a validated WriteJourneyRequest into the {@link JourneyDefinition} the domain rules read, and checks the
 * documented value ranges of single members (caps, percentages, HH:MM times, durations).
 */
public final class JourneyDefinitionReader {
    static final List<String> ACTIVITY_KINDS = List.of("EMAIL", "SMS", "PUSH", "CUSTOM", "ConditionalSplit",
            "MultiCondition", "RandomSplit", "Holdout", "Wait", "ContactCenter");
    private static final List<String> LINK_MEMBERS = List.of("NextActivity", "TrueActivity", "FalseActivity",
            "DefaultActivity");
    private static final Pattern HOUR_MINUTE = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");

    private JourneyDefinitionReader() {}

    /** Reads a body that {@link ShapeReader} has already checked against WriteJourneyRequest. */
    public static JourneyDefinition read(ObjectNode request) {
        checkMemberRanges(request);
        checkWaitTimes(request, false);
        return definition(request, request.get("Name").textValue(), Instant::parse);
    }

    /**
     * Members checked only when a journey is published (drafts may be incomplete): every WaitFor is an ISO 8601
     * duration and every WaitUntil a date-time, in Wait activities and the evaluation waits of splits.
     */
    public static void checkPublishable(ObjectNode definition) {
        checkWaitTimes(definition, true);
    }

    /**
     * The definition's parts without any check of today's rules; {@code time} reads Schedule's date-times. Shared
     * with {@link StoredJourneyReader}, which reads what was stored under older rules.
     */
    static JourneyDefinition definition(JsonNode journey, String name, Function<String, Instant> time) {
        Map<String, ActivityNode> activities = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : journey.path("Activities").properties()) {
            activities.put(entry.getKey(), activity(entry.getKey(), entry.getValue()));
        }
        JsonNode schedule = journey.path("Schedule");
        JsonNode start = journey.path("StartCondition");
        return new JourneyDefinition(
                name,
                text(journey, "State").flatMap(JourneyDefinitionReader::state),
                text(journey, "StartActivity"),
                activities,
                text(journey, "RefreshFrequency"),
                text(schedule, "StartTime").map(time),
                text(schedule, "EndTime").map(time),
                startKind(start.has("SegmentStartCondition"), start.has("EventStartCondition")));
    }

    private static Optional<JourneyState> state(String name) {
        try {
            return Optional.of(JourneyState.valueOf(name));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static void checkWaitTimes(ObjectNode definition, boolean publishing) {
        for (Map.Entry<String, JsonNode> activity : definition.path("Activities").properties()) {
            String path = "Activities." + activity.getKey();
            JsonNode body = activity.getValue();
            checkWaitTime(body.path("Wait").path("WaitTime"), path + ".Wait.WaitTime", publishing);
            checkWaitTime(body.path("ConditionalSplit").path("EvaluationWaitTime"),
                    path + ".ConditionalSplit.EvaluationWaitTime", publishing);
            checkWaitTime(body.path("MultiCondition").path("EvaluationWaitTime"),
                    path + ".MultiCondition.EvaluationWaitTime", publishing);
        }
    }

    /** A WaitUntil out of range is refused at once; an unreadable WaitFor or WaitUntil when publishing. */
    private static void checkWaitTime(JsonNode waitTime, String path, boolean publishing) {
        text(waitTime, "WaitUntil").filter(value -> publishing || WireTime.isDateTime(value))
                .ifPresent(value -> WireTime.parseRequestTime(value, path + ".WaitUntil"));
        if (publishing) {
            text(waitTime, "WaitFor").ifPresent(value -> IsoDurations.parse(value, path + ".WaitFor"));
        }
    }

    private static ActivityNode activity(String id, JsonNode activity) {
        List<String> kinds = new ArrayList<>();
        List<Link> links = new ArrayList<>();
        Optional<JourneyDefinition.RandomSplit> randomSplit = Optional.empty();
        Optional<Integer> multiConditionBranches = Optional.empty();
        for (String kind : ACTIVITY_KINDS) {
            JsonNode body = activity.get(kind);
            if (body == null) {
                continue;
            }
            kinds.add(kind);
            String path = "Activities." + id + "." + kind;
            for (String member : LINK_MEMBERS) {
                text(body, member).ifPresent(target -> links.add(new Link(path + "." + member, target)));
            }
            JsonNode branches = body.path("Branches");
            for (int i = 0; i < branches.size(); i++) {
                int index = i;
                text(branches.get(i), "NextActivity").ifPresent(target ->
                        links.add(new Link(path + ".Branches[" + index + "].NextActivity", target)));
            }
            if (kind.equals("RandomSplit")) {
                List<Integer> percentages = new ArrayList<>();
                branches.forEach(branch -> percentages.add(branch.has("Percentage")
                        ? branch.get("Percentage").intValue() : null));
                randomSplit = Optional.of(new JourneyDefinition.RandomSplit(percentages));
            }
            if (kind.equals("MultiCondition")) {
                multiConditionBranches = Optional.of(branches.size());
            }
        }
        return new ActivityNode(id, List.copyOf(kinds), List.copyOf(links), randomSplit, multiConditionBranches);
    }

    private static JourneyDefinition.StartKind startKind(boolean segment, boolean event) {
        if (segment && event) {
            return JourneyDefinition.StartKind.BOTH;
        }
        if (segment) {
            return JourneyDefinition.StartKind.SEGMENT;
        }
        return event ? JourneyDefinition.StartKind.EVENT : JourneyDefinition.StartKind.NONE;
    }

    private static void checkMemberRanges(ObjectNode request) {
        JsonNode limits = request.path("Limits");
        checkRange(limits, "DailyCap", "Limits.DailyCap", 0, 100);
        checkRange(limits, "EndpointReentryCap", "Limits.EndpointReentryCap", 0, 100);
        checkRange(limits, "TotalCap", "Limits.TotalCap", 0, 100);
        checkRange(limits, "MessagesPerSecond", "Limits.MessagesPerSecond", 0, Integer.MAX_VALUE);
        checkRange(limits.path("TimeframeCap"), "Cap", "Limits.TimeframeCap.Cap", 0, 100);
        checkRange(limits.path("TimeframeCap"), "Days", "Limits.TimeframeCap.Days", 0, 30);
        text(limits, "EndpointReentryInterval").ifPresent(value ->
                IsoDurations.parse(value, "Limits.EndpointReentryInterval"));
        JsonNode quietTime = request.path("QuietTime");
        for (String member : List.of("Start", "End")) {
            text(quietTime, member).ifPresent(value -> {
                if (!HOUR_MINUTE.matcher(value).matches()) {
                    throw ApiException.badRequest("QuietTime." + member + " must be a 24-hour HH:MM time, not '"
                            + value + "'");
                }
            });
        }
        for (Map.Entry<String, JsonNode> activity : request.path("Activities").properties()) {
            checkRange(activity.getValue().path("Holdout"), "Percentage",
                    "Activities." + activity.getKey() + ".Holdout.Percentage", 0, 100);
        }
    }

    private static void checkRange(JsonNode parent, String member, String path, int min, int max) {
        JsonNode value = parent.get(member);
        if (value != null && (value.intValue() < min || value.intValue() > max)) {
            throw ApiException.badRequest(path + " must be between " + min + " and " + max + ", not "
                    + value.intValue());
        }
    }

    static Optional<String> text(JsonNode parent, String member) {
        JsonNode value = parent == null ? null : parent.get(member);
        return value == null || !value.isTextual() ? Optional.empty() : Optional.of(value.textValue());
    }
}
