package dev.waymark.engine;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.engine.JourneyPlan.Activity;
import dev.waymark.engine.JourneyPlan.ClosedDay;
import dev.waymark.engine.JourneyPlan.EventStart;
import dev.waymark.engine.JourneyPlan.Limits;
import dev.waymark.engine.JourneyPlan.OpenWindow;
import dev.waymark.engine.JourneyPlan.QuietTime;
import dev.waymark.wire.Json;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads a stored journey definition (WriteJourneyRequest JSON, as the journeys store holds it) into a
 * {@link JourneyPlan}. Stored definitions were validated when written, but may predate today's rules (an import, an
 * older Waymark): what cannot be executed is an {@link UnreadablePlanException}, never a silent guess.
 */
public final class JourneyPlanReader {
    /** Far more than Pinpoint's journeys hold (about 100 activities); a bound on what one plan may cost. */
    static final int MAX_ACTIVITIES = 1000;
    private static final int MAX_WINDOWS = 100;
    private static final int MAX_CLOSED_DAYS = 1000;
    private static final int MAX_METHODS = 10;

    private JourneyPlanReader() {}

    /** The plan of journey {@code journeyId} (row version {@code version}) of app {@code appId}. */
    public static JourneyPlan read(String appId, String journeyId, long version, String definitionJson) {
        PlanMemberReader read = new PlanMemberReader(journeyId);
        JsonNode journey;
        try {
            journey = Json.MAPPER.readTree(definitionJson);
        } catch (JacksonException e) {
            throw read.unreadable("the definition", "is not valid JSON");
        }
        if (journey == null || !journey.isObject()) {
            throw read.unreadable("the definition", "is not a JSON object");
        }
        Map<String, Activity> activities = activities(read, journey);
        Optional<String> startActivity = read.text(journey, "StartActivity", "StartActivity");
        startActivity.ifPresent(id -> checkTarget(read, activities, "StartActivity", id));

        boolean localTime = read.flag(journey, "LocalTime", "LocalTime");
        ObjectNode schedule = read.objectOrEmpty(journey, "Schedule", "Schedule");
        ObjectNode start = read.objectOrEmpty(journey, "StartCondition", "StartCondition");
        Optional<String> segmentId = read.object(start, "SegmentStartCondition", "StartCondition.SegmentStartCondition")
                .map(segment -> read.requiredText(segment, "SegmentId",
                        "StartCondition.SegmentStartCondition.SegmentId"));
        return new JourneyPlan(appId, journeyId, version, startActivity, activities, limits(read, journey),
                quietTime(read, journey), read.flag(journey, "WaitForQuietTime", "WaitForQuietTime"), localTime,
                offset(read, schedule, localTime),
                read.instant(schedule, "StartTime", "Schedule.StartTime"),
                read.instant(schedule, "EndTime", "Schedule.EndTime"),
                read.flag(journey, "SendingSchedule", "SendingSchedule"), openHours(read, journey),
                closedDays(read, journey), estimationMethods(read, journey), segmentId,
                read.flag(journey, "RefreshOnSegmentUpdate", "RefreshOnSegmentUpdate"), eventStart(read, start));
    }

    private static Map<String, Activity> activities(PlanMemberReader read, JsonNode journey) {
        ObjectNode stored = read.objectOrEmpty(journey, "Activities", "Activities");
        if (stored.size() > MAX_ACTIVITIES) {
            throw read.unreadable("Activities", "has " + stored.size() + " activities, more than the "
                    + MAX_ACTIVITIES + " the engine runs");
        }
        PlanActivityReader activityReader = new PlanActivityReader(read);
        Map<String, Activity> activities = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : stored.properties()) {
            activities.put(entry.getKey(), activityReader.activity(entry.getKey(), entry.getValue()));
        }
        for (Activity activity : activities.values()) {
            checkLinks(read, activities, activity);
        }
        return java.util.Collections.unmodifiableMap(activities);
    }

    /** Every path out of an activity leads to an activity of the plan: a participant must never arrive nowhere. */
    private static void checkLinks(PlanMemberReader read, Map<String, Activity> activities, Activity activity) {
        String path = "Activities." + activity.id();
        if (activity instanceof JourneyPlan.Wait wait) {
            checkTarget(read, activities, path + ".Wait.NextActivity", wait.next());
        } else if (activity instanceof JourneyPlan.Holdout holdout) {
            checkTarget(read, activities, path + ".Holdout.NextActivity", holdout.next());
        } else if (activity instanceof JourneyPlan.Message message) {
            checkTarget(read, activities, path + "." + message.kind() + ".NextActivity", message.next());
        } else if (activity instanceof JourneyPlan.ContactCenter contact) {
            checkTarget(read, activities, path + ".ContactCenter.NextActivity", contact.next());
        } else if (activity instanceof JourneyPlan.RandomSplit split) {
            for (int i = 0; i < split.branches().size(); i++) {
                checkTarget(read, activities, path + ".RandomSplit.Branches[" + i + "].NextActivity",
                        split.branches().get(i).next());
            }
        } else if (activity instanceof JourneyPlan.ConditionalSplit split) {
            checkTarget(read, activities, path + ".ConditionalSplit.TrueActivity", split.whenTrue());
            checkTarget(read, activities, path + ".ConditionalSplit.FalseActivity", split.whenFalse());
            List<JourneyPlan.SimpleCondition> conditions = split.condition().conditions();
            for (int i = 0; i < conditions.size(); i++) {
                checkMessageActivity(read, activities, path + ".ConditionalSplit.Condition.Conditions[" + i + "]",
                        conditions.get(i));
            }
        } else if (activity instanceof JourneyPlan.MultiCondition split) {
            for (int i = 0; i < split.branches().size(); i++) {
                checkTarget(read, activities, path + ".MultiCondition.Branches[" + i + "].NextActivity",
                        split.branches().get(i).next());
                checkMessageActivity(read, activities, path + ".MultiCondition.Branches[" + i + "].Condition",
                        split.branches().get(i).condition());
            }
            checkTarget(read, activities, path + ".MultiCondition.DefaultActivity", split.otherwise());
        }
    }

    private static void checkTarget(PlanMemberReader read, Map<String, Activity> activities, String path,
                                     Optional<String> target) {
        target.ifPresent(id -> checkTarget(read, activities, path, id));
    }

    private static void checkTarget(PlanMemberReader read, Map<String, Activity> activities, String path,
                                    String id) {
        if (!activities.containsKey(id)) {
            throw read.unreadable(path, "names activity '" + PlanMemberReader.shorten(id)
                    + "', which the journey does not have");
        }
    }

    private static void checkMessageActivity(PlanMemberReader read, Map<String, Activity> activities, String path,
                                             JourneyPlan.SimpleCondition condition) {
        if (condition instanceof JourneyPlan.EventCondition event) {
            checkTarget(read, activities, path + ".EventCondition.MessageActivity", event.messageActivity());
        }
    }

    private static Limits limits(PlanMemberReader read, JsonNode journey) {
        ObjectNode limits = read.objectOrEmpty(journey, "Limits", "Limits");
        ObjectNode timeframe = read.objectOrEmpty(limits, "TimeframeCap", "Limits.TimeframeCap");
        OptionalInt reentryCap = read.limit(limits, "EndpointReentryCap", "Limits.EndpointReentryCap");
        return new Limits(read.limit(limits, "DailyCap", "Limits.DailyCap"),
                read.limit(limits, "TotalCap", "Limits.TotalCap"),
                read.limit(timeframe, "Cap", "Limits.TimeframeCap.Cap"),
                read.limit(timeframe, "Days", "Limits.TimeframeCap.Days"), reentryCap,
                read.duration(limits, "EndpointReentryInterval", "Limits.EndpointReentryInterval"),
                read.limit(limits, "MessagesPerSecond", "Limits.MessagesPerSecond"));
    }

    /** QuietTime needs both ends; one end alone is no quiet time, as the app settings read it. */
    private static Optional<QuietTime> quietTime(PlanMemberReader read, JsonNode journey) {
        ObjectNode quiet = read.objectOrEmpty(journey, "QuietTime", "QuietTime");
        Optional<String> start = read.text(quiet, "Start", "QuietTime.Start");
        Optional<String> end = read.text(quiet, "End", "QuietTime.End");
        if (start.isEmpty() || end.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new QuietTime(read.time(start.get(), "QuietTime.Start"),
                read.time(end.get(), "QuietTime.End")));
    }

    /**
     * Schedule.Timezone ("UTC", "UTC+05:30", "UTC-08"), UTC when absent. It matters only with LocalTime; without it
     * an unreadable value is not a reason to stop the journey, and reads as UTC.
     */
    private static ZoneOffset offset(PlanMemberReader read, JsonNode schedule, boolean localTime) {
        Optional<String> zone = read.text(schedule, "Timezone", "Schedule.Timezone");
        if (zone.isEmpty()) {
            return ZoneOffset.UTC;
        }
        Optional<ZoneOffset> offset = parseOffset(zone.get());
        if (offset.isEmpty() && localTime) {
            throw read.unreadable("Schedule.Timezone", "must be UTC or UTC±hh[:mm], not '"
                    + PlanMemberReader.shorten(zone.get()) + "'");
        }
        return offset.orElse(ZoneOffset.UTC);
    }

    static Optional<ZoneOffset> parseOffset(String text) {
        String value = text.trim();
        if (value.equals("UTC") || value.equals("Z")) {
            return Optional.of(ZoneOffset.UTC);
        }
        String signed = value.startsWith("UTC") ? value.substring(3) : value;
        if (signed.isEmpty() || (signed.charAt(0) != '+' && signed.charAt(0) != '-')) {
            return Optional.empty();
        }
        try {
            return Optional.of(ZoneOffset.of(signed));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static Map<String, Map<DayOfWeek, List<OpenWindow>>> openHours(PlanMemberReader read,
                                                                           JsonNode journey) {
        ObjectNode stored = read.objectOrEmpty(journey, "OpenHours", "OpenHours");
        Map<String, Map<DayOfWeek, List<OpenWindow>>> result = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> channel : stored.properties()) {
            String path = "OpenHours." + channel.getKey();
            ObjectNode days = read.objectOrEmpty(stored, channel.getKey(), path);
            Map<DayOfWeek, List<OpenWindow>> byDay = new EnumMap<>(DayOfWeek.class);
            for (Map.Entry<String, JsonNode> day : days.properties()) {
                DayOfWeek dayOfWeek;
                try {
                    dayOfWeek = DayOfWeek.valueOf(day.getKey());
                } catch (IllegalArgumentException e) {
                    throw read.unreadable(path + "." + PlanMemberReader.shorten(day.getKey()),
                            "is not a day MONDAY to SUNDAY");
                }
                JsonNode windows = read.array(days, day.getKey(), path + "." + day.getKey(), MAX_WINDOWS);
                List<OpenWindow> list = new ArrayList<>();
                for (int i = 0; i < windows.size(); i++) {
                    String at = path + "." + day.getKey() + "[" + i + "]";
                    list.add(new OpenWindow(
                            read.time(read.requiredText(windows.get(i), "StartTime", at + ".StartTime"),
                                    at + ".StartTime"),
                            read.time(read.requiredText(windows.get(i), "EndTime", at + ".EndTime"),
                                    at + ".EndTime")));
                }
                byDay.put(dayOfWeek, List.copyOf(list));
            }
            result.put(channel.getKey(), java.util.Collections.unmodifiableMap(byDay));
        }
        return java.util.Collections.unmodifiableMap(result);
    }

    private static Map<String, List<ClosedDay>> closedDays(PlanMemberReader read, JsonNode journey) {
        ObjectNode stored = read.objectOrEmpty(journey, "ClosedDays", "ClosedDays");
        Map<String, List<ClosedDay>> result = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> channel : stored.properties()) {
            String path = "ClosedDays." + channel.getKey();
            JsonNode rules = read.array(stored, channel.getKey(), path, MAX_CLOSED_DAYS);
            List<ClosedDay> list = new ArrayList<>();
            for (int i = 0; i < rules.size(); i++) {
                String at = path + "[" + i + "]";
                JsonNode rule = rules.get(i);
                LocalDateTime from = read.localDateTime(read.requiredText(rule, "StartDateTime",
                        at + ".StartDateTime"), at + ".StartDateTime");
                LocalDateTime to = read.localDateTime(read.requiredText(rule, "EndDateTime", at + ".EndDateTime"),
                        at + ".EndDateTime");
                if (to.isBefore(from)) {
                    throw read.unreadable(at, "ends before it starts");
                }
                list.add(new ClosedDay(read.text(rule, "Name", at + ".Name").orElse(""), from, to));
            }
            result.put(channel.getKey(), List.copyOf(list));
        }
        return java.util.Collections.unmodifiableMap(result);
    }

    private static List<String> estimationMethods(PlanMemberReader read, JsonNode journey) {
        JsonNode methods = read.array(journey, "TimezoneEstimationMethods", "TimezoneEstimationMethods",
                MAX_METHODS);
        List<String> result = new ArrayList<>();
        for (int i = 0; i < methods.size(); i++) {
            String method = methods.get(i).asText();
            if (!method.equals("PHONE_NUMBER") && !method.equals("POSTAL_CODE")) {
                throw read.unreadable("TimezoneEstimationMethods[" + i + "]", "must be PHONE_NUMBER or POSTAL_CODE");
            }
            result.add(method);
        }
        return List.copyOf(result);
    }

    private static Optional<EventStart> eventStart(PlanMemberReader read, JsonNode start) {
        String path = "StartCondition.EventStartCondition";
        return read.object(start, "EventStartCondition", path).map(event -> {
            ObjectNode filter = read.object(event, "EventFilter", path + ".EventFilter")
                    .orElseThrow(() -> read.unreadable(path + ".EventFilter", "is missing"));
            String filterType = read.requiredText(filter, "FilterType", path + ".EventFilter.FilterType");
            if (!filterType.equals("SYSTEM") && !filterType.equals("ENDPOINT")) {
                throw read.unreadable(path + ".EventFilter.FilterType", "must be SYSTEM or ENDPOINT");
            }
            if (PlanMemberReader.member(filter, "Dimensions").isEmpty()) {
                throw read.unreadable(path + ".EventFilter.Dimensions", "is missing");
            }
            ObjectNode dimensions = new EventDimensionsReader(read).read(filter, "Dimensions",
                    path + ".EventFilter.Dimensions");
            return new EventStart(filterType, dimensions, read.text(event, "SegmentId", path + ".SegmentId"));
        });
    }

    /** A stored definition the engine cannot execute; the message names the member. */
    public static final class UnreadablePlanException extends RuntimeException {
        public UnreadablePlanException(String message) {
            super(message);
        }
    }
}
