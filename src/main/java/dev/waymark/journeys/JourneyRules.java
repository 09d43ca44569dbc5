package dev.waymark.journeys;

import dev.waymark.rules.RuleViolation;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The documented rules of a journey definition: its name, its schedule, and the activity graph needed to publish. */
public final class JourneyRules {
    /** Activity identifiers are alphanumeric, at most 100 characters (Pinpoint's documented limit). */
    private static final Pattern ACTIVITY_ID = Pattern.compile("[A-Za-z0-9]{1,100}");
    private static final int MAX_NAME_LENGTH = 150;
    private static final int MAX_RANDOM_SPLIT_BRANCHES = 5;
    /** Up to five paths including the default ("Else") path. */
    private static final int MAX_MULTI_CONDITION_BRANCHES = 4;
    /**
     * The most a stored definition may take, drafts included, as JSON. A journey of 40 activities takes a few tens
     * of KiB; the bound keeps a listing page and the scheduler's reads of a journey small whatever a client sends.
     */
    public static final int MAX_DEFINITION_BYTES = 512 * 1024;

    private final int maxActivities;
    private final Duration minRefreshFrequency;

    public JourneyRules(int maxActivities, Duration minRefreshFrequency) {
        this.maxActivities = maxActivities;
        this.minRefreshFrequency = minRefreshFrequency;
    }

    /** Rules every journey meets, draft or not. */
    public void checkDefinition(JourneyDefinition journey) {
        checkName(journey.name());
        checkActivityCount(journey);
        for (String id : journey.activities().keySet()) {
            if (!ACTIVITY_ID.matcher(id).matches()) {
                throw new RuleViolation("Activities: the activity id '" + id
                        + "' must be 1 to 100 alphanumeric characters");
            }
        }
        journey.startActivity().ifPresent(start -> {
            if (start.isEmpty() || start.length() > 128) {
                throw new RuleViolation("StartActivity must be 1 to 128 characters");
            }
        });
        if (journey.startTime().isPresent() && journey.endTime().isPresent()
                && !journey.endTime().get().isAfter(journey.startTime().get())) {
            throw new RuleViolation("Schedule.EndTime must be after Schedule.StartTime");
        }
        journey.refreshFrequency().ifPresent(this::checkRefreshFrequency);
    }

    /** Rules a journey must meet to become ACTIVE: a complete, acyclic activity graph and a start condition. */
    public void checkPublishable(JourneyDefinition journey) {
        Map<String, JourneyDefinition.ActivityNode> activities = journey.activities();
        if (activities.isEmpty()) {
            throw new RuleViolation("Activities: an ACTIVE journey needs at least one activity");
        }
        checkActivityCount(journey);
        String start = journey.startActivity().orElseThrow(() ->
                new RuleViolation("StartActivity is required for an ACTIVE journey"));
        if (!activities.containsKey(start)) {
            throw new RuleViolation("StartActivity names '" + start + "', which is not an activity of this journey");
        }
        if (journey.startKind() == JourneyDefinition.StartKind.NONE) {
            throw new RuleViolation("StartCondition needs a SegmentStartCondition or an EventStartCondition "
                    + "for an ACTIVE journey");
        }
        if (journey.startKind() == JourneyDefinition.StartKind.BOTH) {
            throw new RuleViolation("StartCondition can have a SegmentStartCondition or an EventStartCondition, "
                    + "not both");
        }
        for (JourneyDefinition.ActivityNode activity : activities.values()) {
            checkActivity(activity, activities);
        }
        checkAcyclic(activities);
    }

    /** The size of the definition as stored (JSON, UTF-8), drafts included. */
    public void checkStoredSize(long bytes) {
        if (bytes > MAX_DEFINITION_BYTES) {
            throw new RuleViolation("The journey definition takes " + bytes + " bytes as JSON; a journey, "
                    + "draft or not, can take at most " + MAX_DEFINITION_BYTES + " bytes");
        }
    }

    private void checkActivityCount(JourneyDefinition journey) {
        if (journey.activities().size() > maxActivities) {
            throw new RuleViolation("Activities: a journey can have at most " + maxActivities
                    + " activities, this one has " + journey.activities().size());
        }
    }

    private static void checkName(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw new RuleViolation("Name must be 1 to " + MAX_NAME_LENGTH + " characters");
        }
        if (name.chars().anyMatch(Character::isWhitespace)) {
            throw new RuleViolation("Name must not contain spaces");
        }
    }

    private void checkRefreshFrequency(String value) {
        Duration frequency = IsoDurations.parseAtMost(value, "RefreshFrequency", IsoDurations.LONGEST_JOURNEY);
        if (frequency.compareTo(minRefreshFrequency) < 0) {
            throw new RuleViolation("RefreshFrequency must be at least " + minRefreshFrequency + ", not " + value);
        }
    }

    private static void checkActivity(JourneyDefinition.ActivityNode activity,
                                      Map<String, JourneyDefinition.ActivityNode> activities) {
        String path = "Activities." + activity.id();
        if (activity.kinds().size() != 1) {
            throw new RuleViolation(path + " must set exactly one activity type (EMAIL, SMS, PUSH, CUSTOM, "
                    + "ConditionalSplit, MultiCondition, RandomSplit, Holdout, Wait or ContactCenter), not "
                    + (activity.kinds().isEmpty() ? "none" : String.join(" and ", activity.kinds())));
        }
        for (JourneyDefinition.Link link : activity.links()) {
            if (!activities.containsKey(link.target())) {
                throw new RuleViolation(link.path() + " names '" + link.target()
                        + "', which is not an activity of this journey");
            }
        }
        activity.randomSplit().ifPresent(split -> checkRandomSplit(path + ".RandomSplit.Branches", split));
        activity.multiConditionBranches().ifPresent(branches -> {
            if (branches < 1 || branches > MAX_MULTI_CONDITION_BRANCHES) {
                throw new RuleViolation(path + ".MultiCondition.Branches must have 1 to "
                        + MAX_MULTI_CONDITION_BRANCHES + " branches besides the default path, not " + branches);
            }
        });
    }

    private static void checkRandomSplit(String path, JourneyDefinition.RandomSplit split) {
        List<Integer> percentages = split.percentages();
        if (percentages.isEmpty() || percentages.size() > MAX_RANDOM_SPLIT_BRANCHES) {
            throw new RuleViolation(path + " must have 1 to " + MAX_RANDOM_SPLIT_BRANCHES
                    + " branches, not " + percentages.size());
        }
        int total = 0;
        for (int i = 0; i < percentages.size(); i++) {
            Integer percentage = percentages.get(i);
            if (percentage == null || percentage < 0 || percentage > 100) {
                throw new RuleViolation(path + "[" + i + "].Percentage must be between 0 and 100");
            }
            total += percentage;
        }
        if (total != 100) {
            throw new RuleViolation(path + ": the branch percentages must add up to 100, not " + total);
        }
    }

    private static void checkAcyclic(Map<String, JourneyDefinition.ActivityNode> activities) {
        Map<String, Integer> marks = new HashMap<>();
        for (String id : activities.keySet()) {
            visit(id, activities, marks);
        }
    }

    /** Depth-first search; 1 = on the current path, 2 = done. A link back to the current path is a cycle. */
    private static void visit(String id, Map<String, JourneyDefinition.ActivityNode> activities,
                              Map<String, Integer> marks) {
        Integer mark = marks.get(id);
        if (mark != null) {
            if (mark == 1) {
                throw new RuleViolation("Activities: the activity '" + id + "' is part of a cycle");
            }
            return;
        }
        marks.put(id, 1);
        for (JourneyDefinition.Link link : activities.get(id).links()) {
            visit(link.target(), activities, marks);
        }
        marks.put(id, 2);
    }
}
