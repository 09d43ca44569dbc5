package dev.waymark.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.engine.JourneyPlan.Activity;
import dev.waymark.engine.JourneyPlan.Branch;
import dev.waymark.engine.JourneyPlan.ConditionBranch;
import dev.waymark.engine.JourneyPlan.Conditions;
import dev.waymark.engine.JourneyPlan.EvaluationWait;
import dev.waymark.engine.JourneyPlan.MessageKind;
import dev.waymark.engine.JourneyPlan.SimpleCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One stored Activity into its typed {@link Activity}; the kind is the one member among Pinpoint's kinds it sets. */
final class PlanActivityReader {
    /** Pinpoint's activity members, spelled exactly as on the wire. */
    static final List<String> KINDS = List.of("EMAIL", "SMS", "PUSH", "CUSTOM", "ConditionalSplit",
            "MultiCondition", "RandomSplit", "Holdout", "Wait", "ContactCenter");
    /** More than Pinpoint's 5 paths and 4 conditions; a bound so that a strange definition cannot run away. */
    static final int MAX_BRANCHES = 100;
    static final int MAX_CONDITIONS = 100;

    private final PlanMemberReader read;
    private final EventDimensionsReader dimensions;

    PlanActivityReader(PlanMemberReader read) {
        this.read = read;
        this.dimensions = new EventDimensionsReader(read);
    }

    Activity activity(String id, JsonNode body) {
        String path = "Activities." + id;
        if (!body.isObject()) {
            throw read.unreadable(path, "must be an object");
        }
        List<String> kinds = new ArrayList<>();
        for (String kind : KINDS) {
            if (PlanMemberReader.member(body, kind).isPresent()) {
                kinds.add(kind);
            }
        }
        if (kinds.isEmpty()) {
            return new JourneyPlan.Unset(id);
        }
        if (kinds.size() > 1) {
            throw read.unreadable(path, "sets " + String.join(" and ", kinds) + "; an activity is one kind");
        }
        String kind = kinds.get(0);
        return typed(id, kind, body.get(kind), path + "." + kind);
    }

    private Activity typed(String id, String kind, JsonNode activity, String path) {
        if (!activity.isObject()) {
            throw read.unreadable(path, "must be an object");
        }
        Optional<String> next = read.text(activity, "NextActivity", path + ".NextActivity");
        return switch (kind) {
            case "EMAIL", "SMS", "PUSH", "CUSTOM" -> message(id, MessageKind.valueOf(kind), activity, path, next);
            case "Wait" -> wait(id, activity, path, next);
            case "Holdout" -> new JourneyPlan.Holdout(id, read.integer(activity, "Percentage", path + ".Percentage",
                    100).orElseThrow(() -> read.unreadable(path + ".Percentage", "is missing")), next);
            case "RandomSplit" -> randomSplit(id, activity, path);
            case "ConditionalSplit" -> conditionalSplit(id, activity, path);
            case "MultiCondition" -> multiCondition(id, activity, path);
            case "ContactCenter" -> new JourneyPlan.ContactCenter(id, next);
            default -> throw new IllegalStateException(kind);
        };
    }

    private Activity message(String id, MessageKind kind, JsonNode activity, String path, Optional<String> next) {
        Optional<String> deliveryUri = Optional.empty();
        List<String> endpointTypes = List.of();
        if (kind == MessageKind.CUSTOM) {
            deliveryUri = read.text(activity, "DeliveryUri", path + ".DeliveryUri");
            JsonNode types = read.array(activity, "EndpointTypes", path + ".EndpointTypes", 50);
            List<String> listed = new ArrayList<>();
            for (int i = 0; i < types.size(); i++) {
                if (!types.get(i).isTextual()) {
                    throw read.unreadable(path + ".EndpointTypes[" + i + "]", "must be a string");
                }
                listed.add(types.get(i).textValue());
            }
            // Pinpoint's console default; a CUSTOM activity that lists no type would otherwise reach nobody.
            endpointTypes = listed.isEmpty() ? List.of("CUSTOM") : List.copyOf(listed);
        }
        return new JourneyPlan.Message(id, kind, read.text(activity, "TemplateName", path + ".TemplateName"),
                read.textOrNumber(activity, "TemplateVersion", path + ".TemplateVersion"),
                read.objectOrEmpty(activity, "MessageConfig", path + ".MessageConfig"), deliveryUri, endpointTypes,
                next);
    }

    private Activity wait(String id, JsonNode activity, String path, Optional<String> next) {
        JsonNode waitTime = read.object(activity, "WaitTime", path + ".WaitTime")
                .orElseThrow(() -> read.unreadable(path + ".WaitTime", "is missing"));
        Optional<Duration> waitFor = read.duration(waitTime, "WaitFor", path + ".WaitTime.WaitFor");
        Optional<Instant> waitUntil = read.instant(waitTime, "WaitUntil", path + ".WaitTime.WaitUntil");
        if (waitFor.isEmpty() && waitUntil.isEmpty()) {
            throw read.unreadable(path + ".WaitTime", "has neither WaitFor nor WaitUntil");
        }
        return new JourneyPlan.Wait(id, waitFor, waitUntil, next);
    }

    private Activity randomSplit(String id, JsonNode activity, String path) {
        JsonNode branches = read.array(activity, "Branches", path + ".Branches", MAX_BRANCHES);
        if (branches.isEmpty()) {
            throw read.unreadable(path + ".Branches", "is empty");
        }
        List<Branch> result = new ArrayList<>();
        int total = 0;
        for (int i = 0; i < branches.size(); i++) {
            String at = path + ".Branches[" + i + "]";
            JsonNode branch = branches.get(i);
            int percentage = read.integer(branch, "Percentage", at + ".Percentage", 100)
                    .orElseThrow(() -> read.unreadable(at + ".Percentage", "is missing"));
            total += percentage;
            result.add(new Branch(percentage, read.text(branch, "NextActivity", at + ".NextActivity")));
        }
        if (total > 100) {
            throw read.unreadable(path + ".Branches", "has percentages adding up to " + total + ", over 100");
        }
        return new JourneyPlan.RandomSplit(id, List.copyOf(result));
    }

    private Activity conditionalSplit(String id, JsonNode activity, String path) {
        JsonNode condition = read.object(activity, "Condition", path + ".Condition")
                .orElseThrow(() -> read.unreadable(path + ".Condition", "is missing"));
        JsonNode list = read.array(condition, "Conditions", path + ".Condition.Conditions", MAX_CONDITIONS);
        if (list.isEmpty()) {
            throw read.unreadable(path + ".Condition.Conditions", "is empty");
        }
        List<SimpleCondition> conditions = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            conditions.add(simple(list.get(i), path + ".Condition.Conditions[" + i + "]"));
        }
        Optional<String> operator = read.text(condition, "Operator", path + ".Condition.Operator");
        if (operator.isEmpty() && conditions.size() > 1) {
            throw read.unreadable(path + ".Condition.Operator", "is missing: ALL or ANY of several conditions");
        }
        if (operator.isPresent() && !operator.get().equals("ALL") && !operator.get().equals("ANY")) {
            throw read.unreadable(path + ".Condition.Operator", "must be ALL or ANY");
        }
        return new JourneyPlan.ConditionalSplit(id, new Conditions(List.copyOf(conditions),
                !operator.orElse("ALL").equals("ANY")), evaluationWait(activity, path),
                read.text(activity, "TrueActivity", path + ".TrueActivity"),
                read.text(activity, "FalseActivity", path + ".FalseActivity"));
    }

    private Activity multiCondition(String id, JsonNode activity, String path) {
        JsonNode branches = read.array(activity, "Branches", path + ".Branches", MAX_BRANCHES);
        List<ConditionBranch> result = new ArrayList<>();
        for (int i = 0; i < branches.size(); i++) {
            String at = path + ".Branches[" + i + "]";
            JsonNode condition = read.object(branches.get(i), "Condition", at + ".Condition")
                    .orElseThrow(() -> read.unreadable(at + ".Condition", "is missing"));
            result.add(new ConditionBranch(simple(condition, at + ".Condition"),
                    read.text(branches.get(i), "NextActivity", at + ".NextActivity")));
        }
        return new JourneyPlan.MultiCondition(id, List.copyOf(result),
                read.text(activity, "DefaultActivity", path + ".DefaultActivity"), evaluationWait(activity, path));
    }

    /** EvaluationWaitTime; one that sets neither member evaluates at arrival, as one that is absent. */
    private Optional<EvaluationWait> evaluationWait(JsonNode activity, String path) {
        return read.object(activity, "EvaluationWaitTime", path + ".EvaluationWaitTime").flatMap(wait -> {
            Optional<Duration> waitFor = read.duration(wait, "WaitFor", path + ".EvaluationWaitTime.WaitFor");
            Optional<Instant> waitUntil = read.instant(wait, "WaitUntil", path + ".EvaluationWaitTime.WaitUntil");
            return waitFor.isEmpty() && waitUntil.isEmpty() ? Optional.empty()
                    : Optional.of(new EvaluationWait(waitFor, waitUntil));
        });
    }

    private SimpleCondition simple(JsonNode condition, String path) {
        if (!condition.isObject()) {
            throw read.unreadable(path, "must be an object");
        }
        List<SimpleCondition> found = new ArrayList<>();
        read.object(condition, "EventCondition", path + ".EventCondition").ifPresent(event -> found.add(
                new JourneyPlan.EventCondition(dimensions.read(event, "Dimensions", path + ".EventCondition.Dimensions"),
                        read.text(event, "MessageActivity", path + ".EventCondition.MessageActivity"))));
        read.object(condition, "SegmentCondition", path + ".SegmentCondition").ifPresent(segment -> found.add(
                new JourneyPlan.SegmentCondition(read.requiredText(segment, "SegmentId",
                        path + ".SegmentCondition.SegmentId"))));
        // The wire spells this member in camelCase, unlike its siblings.
        read.object(condition, "segmentDimensions", path + ".segmentDimensions").ifPresent(dimensions -> found.add(
                new JourneyPlan.DimensionsCondition((ObjectNode) dimensions)));
        if (found.size() != 1) {
            throw read.unreadable(path, found.isEmpty()
                    ? "sets none of EventCondition, SegmentCondition, segmentDimensions"
                    : "sets more than one of EventCondition, SegmentCondition, segmentDimensions");
        }
        return found.get(0);
    }
}
