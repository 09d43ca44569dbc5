package dev.waymark.engine;

import dev.waymark.apps.AppSettings;
import java.util.Optional;
import java.util.OptionalInt;

/** What a journey takes from its app's settings when it leaves a member unset: QuietTime, JourneyLimits, MessagesPerSecond. */
record AppDefaults(Optional<JourneyPlan.QuietTime> quietTime, AppSettings.JourneyLimits journeyLimits,
                   OptionalInt messagesPerSecond) {
    static final AppDefaults NONE = new AppDefaults(Optional.empty(), new AppSettings.JourneyLimits(0, 0, 0, 0),
            OptionalInt.empty());

    static AppDefaults of(AppSettings settings) {
        return new AppDefaults(settings.quietTime().map(q -> new JourneyPlan.QuietTime(q.start(), q.end())),
                settings.journeyLimits(), settings.limits().messagesPerSecond());
    }
}
