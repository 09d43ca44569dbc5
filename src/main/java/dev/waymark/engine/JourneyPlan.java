package dev.waymark.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A stored journey definition as the engine executes it: every activity typed, the limits, the sending windows and
 * the start condition. Read from the stored JSON by {@link JourneyPlanReader}; {@code version} is the journey row's,
 * so a cached plan is replaced when UpdateJourney changes the definition.
 */
public record JourneyPlan(String appId, String journeyId, long version, Optional<String> startActivity,
                          Map<String, Activity> activities, Limits limits, Optional<QuietTime> quietTime,
                          boolean waitForQuietTime, boolean localTime, ZoneOffset scheduleOffset,
                          Optional<Instant> startTime, Optional<Instant> endTime, boolean sendingSchedule,
                          Map<String, Map<DayOfWeek, List<OpenWindow>>> openHours,
                          Map<String, List<ClosedDay>> closedDays, List<String> timezoneEstimation,
                          Optional<String> segmentId, boolean refreshOnSegmentUpdate,
                          Optional<EventStart> eventStart) {

    /** The activity {@code id}, when the definition has it. */
    public Optional<Activity> activity(String id) {
        return Optional.ofNullable(activities.get(id));
    }

    /** Journey Limits; a member absent (or 0 where Pinpoint says 0 is "off") is empty. */
    public record Limits(OptionalInt dailyCap, OptionalInt totalCap, OptionalInt timeframeCap,
                         OptionalInt timeframeDays, OptionalInt endpointReentryCap,
                         Optional<Duration> endpointReentryInterval, OptionalInt messagesPerSecond) {
        public static final Limits NONE = new Limits(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
                OptionalInt.empty(), OptionalInt.empty(), Optional.empty(), OptionalInt.empty());
    }

    /** QuietTime {Start, End} as local wall-clock times (End may be before Start: across midnight). */
    public record QuietTime(LocalTime start, LocalTime end) {}

    /** One OpenHours window of a day, local wall-clock times. */
    public record OpenWindow(LocalTime start, LocalTime end) {}

    /** One ClosedDays range, local date-times. */
    public record ClosedDay(String name, LocalDateTime start, LocalDateTime end) {}

    /** EventStartCondition: the filter's type (SYSTEM or ENDPOINT), its EventDimensions, and the optional segment. */
    public record EventStart(String filterType, ObjectNode dimensions, Optional<String> segmentId) {}

    /** One activity of the graph; {@code id} is its key in Activities. */
    public sealed interface Activity permits Wait, Holdout, RandomSplit, ConditionalSplit, MultiCondition, Message,
            ContactCenter, Unset {
        String id();
    }

    /** Wait: WaitFor from arrival, or until WaitUntil. */
    public record Wait(String id, Optional<Duration> waitFor, Optional<Instant> waitUntil, Optional<String> next)
            implements Activity {}

    /** Holdout: leaves with probability percentage/100. */
    public record Holdout(String id, int percentage, Optional<String> next) implements Activity {}

    /** RandomSplit: branches in definition order. */
    public record RandomSplit(String id, List<Branch> branches) implements Activity {}

    /** One RandomSplit branch. */
    public record Branch(int percentage, Optional<String> next) {}

    /** ConditionalSplit; its true path is Branch_1, its false path Branch_2. */
    public record ConditionalSplit(String id, Conditions condition, Optional<EvaluationWait> evaluationWait,
                                   Optional<String> whenTrue, Optional<String> whenFalse) implements Activity {}

    /** MultiCondition: the first branch whose condition holds, else the default. */
    public record MultiCondition(String id, List<ConditionBranch> branches, Optional<String> otherwise,
                                 Optional<EvaluationWait> evaluationWait) implements Activity {}

    /** One MultiCondition branch. */
    public record ConditionBranch(SimpleCondition condition, Optional<String> next) {}

    /** Condition {Conditions, Operator}: {@code all} for ALL, false for ANY. */
    public record Conditions(List<SimpleCondition> conditions, boolean all) {}

    /** EvaluationWaitTime: WaitFor from arrival or WaitUntil. */
    public record EvaluationWait(Optional<Duration> waitFor, Optional<Instant> waitUntil) {}

    /** One SimpleCondition. */
    public sealed interface SimpleCondition permits EventCondition, SegmentCondition, DimensionsCondition {}

    /** EventCondition: its EventDimensions, and the earlier message activity whose delivery events count. */
    public record EventCondition(ObjectNode dimensions, Optional<String> messageActivity) implements SimpleCondition {}

    /** SegmentCondition: member of the segment at evaluation time. */
    public record SegmentCondition(String segmentId) implements SimpleCondition {}

    /** segmentDimensions: the endpoint's current data matches these SegmentDimensions. */
    public record DimensionsCondition(ObjectNode dimensions) implements SimpleCondition {}

    /** The message channels of message activities. */
    public enum MessageKind { EMAIL, SMS, PUSH, CUSTOM }

    /**
     * EMAIL, SMS, PUSH or CUSTOM: the template (name, optional version), the MessageConfig as sent (empty object when
     * none), and for CUSTOM its DeliveryUri and EndpointTypes (default [CUSTOM]).
     */
    public record Message(String id, MessageKind kind, Optional<String> templateName,
                          Optional<String> templateVersion, ObjectNode messageConfig, Optional<String> deliveryUri,
                          List<String> endpointTypes, Optional<String> next) implements Activity {}

    /** ContactCenter: no Amazon Connect here; counted UNSUPPORTED_CHANNEL, then on. */
    public record ContactCenter(String id, Optional<String> next) implements Activity {}

    /** An activity that sets no kind (a draft's placeholder): the participant leaves. */
    public record Unset(String id) implements Activity {}
}
