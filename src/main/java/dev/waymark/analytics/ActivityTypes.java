package dev.waymark.analytics;

import dev.waymark.journeys.JourneyDefinition.ActivityNode;
import java.util.Map;

/** The ActivityType the activity metrics answer, from the member an activity sets (engine.md E6). */
final class ActivityTypes {
    /** An activity that sets no kind yet (a draft's placeholder): Pinpoint documents nothing for it. */
    static final String NONE = "NONE";

    private static final Map<String, String> BY_KIND = Map.of(
            "EMAIL", "EMAIL", "SMS", "SMS", "PUSH", "PUSH", "CUSTOM", "CUSTOM",
            "ConditionalSplit", "CONDITIONAL_SPLIT", "MultiCondition", "MULTI_CONDITIONAL_SPLIT",
            "RandomSplit", "RANDOM_SPLIT", "Holdout", "HOLDOUT", "Wait", "WAIT", "ContactCenter", "CONTACT_CENTER");

    private ActivityTypes() {}

    /** The type of the first kind the activity sets (a valid definition sets exactly one). */
    static String of(ActivityNode activity) {
        return activity.kinds().stream().map(BY_KIND::get).filter(type -> type != null).findFirst().orElse(NONE);
    }
}
