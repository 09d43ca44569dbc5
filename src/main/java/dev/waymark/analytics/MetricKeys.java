package dev.waymark.analytics;

import java.util.List;

/**
 * The key names of the execution metrics, in one table: Pinpoint documents the journey and run keys and
 * {@code SUCCESS}, {@code Branch_n}; the other activity keys are not documented anywhere and are Waymark's
 * inference (the {@code journey_send_status} values of the event stream, and the console's labels), kept here so
 * that they can be corrected in one place. The README lists the same table.
 */
public final class MetricKeys {
    private MetricKeys() {}

    /** Where a key is counted. */
    public enum Level { JOURNEY, RUN, ACTIVITY }

    /** How sure the name is: from Pinpoint's documentation or model example, or Waymark's inference. */
    public enum Source { SOURCED, INFERRED }

    /** One key: its name, where it is counted, for which activity types ("" for any), what it counts. */
    public record Key(String name, Level level, String activityTypes, Source source, String meaning) {}

    public static final String ENDPOINT_ENTERED = "ENDPOINT_ENTERED";
    public static final String ENDPOINT_ACTIVE = "ENDPOINT_ACTIVE";
    public static final String ENDPOINT_LEFT = "ENDPOINT_LEFT";
    public static final String ENDPOINT_PRODUCED = "ENDPOINT_PRODUCED";
    public static final String CANCELLED = "CANCELLED";
    public static final String REENTRY_CAP_EXCEEDED = "REENTRY_CAP_EXCEEDED";
    public static final String ACTIVE_ENDPOINT_REJECTED = "ACTIVE_ENDPOINT_REJECTED";
    public static final String SUCCESS = "SUCCESS";

    /** The key of split path {@code n} (1-based, in definition order; a ConditionalSplit's true path is 1). */
    public static String branch(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("branches are numbered from 1, not " + n);
        }
        return "Branch_" + n;
    }

    private static final String MESSAGES = "EMAIL SMS PUSH CUSTOM";

    /** Every key Waymark counts or will count. */
    public static final List<Key> ALL = List.of(
            new Key(ENDPOINT_ENTERED, Level.JOURNEY, "", Source.SOURCED, "participants who started the journey"),
            new Key(ENDPOINT_ACTIVE, Level.JOURNEY, "", Source.SOURCED,
                    "participants progressing now: entered - left - removed"),
            new Key(ENDPOINT_LEFT, Level.JOURNEY, "", Source.SOURCED, "participants who finished the journey"),
            new Key(CANCELLED, Level.JOURNEY, "", Source.SOURCED, "participants stopped by a cancellation"),
            new Key(REENTRY_CAP_EXCEEDED, Level.JOURNEY, "", Source.SOURCED, "entries refused by EndpointReentryCap"),
            new Key(ACTIVE_ENDPOINT_REJECTED, Level.JOURNEY, "", Source.SOURCED,
                    "entries refused because the endpoint is already active in the journey"),
            new Key(ENDPOINT_PRODUCED, Level.RUN, "", Source.SOURCED, "endpoints the segment or event produced"),
            new Key("ENDPOINTS_FROM_USER", Level.RUN, "", Source.SOURCED, "endpoints added through a user id"),
            new Key("ENDPOINT_OPT_OUT", Level.RUN, "", Source.SOURCED, "left out: opted out"),
            new Key("ENDPOINT_INACTIVE", Level.RUN, "", Source.SOURCED, "left out: inactive endpoint"),
            new Key("FILTERED_OUT_BY_SEGMENT", Level.RUN, "", Source.SOURCED, "left out by the segment's filter"),
            new Key("ENDPOINT_MISSING_ADDRESS", Level.RUN, "", Source.SOURCED, "left out: no address"),
            new Key("ENDPOINT_MISSING_CHANNEL", Level.RUN, "", Source.SOURCED, "left out: no channel"),
            new Key("ENDPOINT_MISSING_TIMEZONE", Level.RUN, "", Source.SOURCED,
                    "left out: no time zone where one is needed"),
            new Key("ENDPOINT_TIMEZONE_MISMATCH", Level.RUN, "", Source.SOURCED,
                    "left out: time zone not in this slice"),
            new Key("DUPLICATE_ENDPOINT", Level.RUN, "", Source.SOURCED, "left out: the same endpoint twice"),
            new Key("DUPLICATE_USER", Level.RUN, "", Source.SOURCED, "left out: the same user twice"),
            new Key("PAUSED", Level.RUN, "", Source.SOURCED, "removed because the journey was paused"),
            new Key("ENDED", Level.RUN, "", Source.SOURCED, "removed because the journey ended"),
            new Key("ENDPOINT_ESTIMATED_TIMEZONE", Level.RUN, "", Source.SOURCED, "time zone estimated"),
            new Key(SUCCESS, Level.ACTIVITY, MESSAGES, Source.SOURCED, "messages handed to the channel"),
            new Key("Branch_n", Level.ACTIVITY, "RANDOM_SPLIT MULTI_CONDITIONAL_SPLIT CONDITIONAL_SPLIT",
                    Source.SOURCED, "participants sent down path n (ConditionalSplit: 1 true, 2 false)"),
            new Key("DAILY_CAP", Level.ACTIVITY, MESSAGES, Source.INFERRED, "not sent: daily cap"),
            new Key("TOTAL_CAP", Level.ACTIVITY, MESSAGES, Source.INFERRED, "not sent: the journey's total cap"),
            new Key("TIMEFRAME_CAP", Level.ACTIVITY, MESSAGES, Source.INFERRED,
                    "not sent: timeframe cap (messages from every journey of the app)"),
            new Key("QUIET_TIME", Level.ACTIVITY, MESSAGES, Source.INFERRED, "not sent: quiet time"),
            new Key("QUIET_TIME_MISSING_TIMEZONE", Level.ACTIVITY, MESSAGES, Source.INFERRED,
                    "not sent: quiet time and no time zone"),
            new Key("THROTTLED", Level.ACTIVITY, MESSAGES, Source.INFERRED, "not sent: throttled"),
            new Key("FAILURE", Level.ACTIVITY, MESSAGES, Source.INFERRED, "failed, may be retried"),
            new Key("FAILURE_PERMANENT", Level.ACTIVITY, MESSAGES, Source.INFERRED, "failed for good"),
            new Key("CUSTOM_DELIVERY_FAILURE", Level.ACTIVITY, "CUSTOM", Source.INFERRED,
                    "the custom delivery (webhook or Lambda) failed"),
            new Key("UNSUPPORTED_CHANNEL", Level.ACTIVITY, MESSAGES, Source.INFERRED,
                    "the endpoint's channel cannot take the message"),
            new Key("TOTAL", Level.ACTIVITY, "RANDOM_SPLIT HOLDOUT", Source.INFERRED, "participants who arrived"),
            new Key("HOLDOUT", Level.ACTIVITY, "HOLDOUT", Source.INFERRED, "participants held out"),
            new Key("COMPLETED", Level.ACTIVITY, "WAIT", Source.INFERRED, "waits completed"),
            new Key("WAIT_DATE_PASSED", Level.ACTIVITY, "WAIT", Source.INFERRED, "arrived after the wait date"),
            new Key("DIAL_FAILURE", Level.ACTIVITY, "CONTACT_CENTER", Source.INFERRED, "the call failed"),
            new Key("REMOVED_DUE_TO_REEVALUATION", Level.ACTIVITY, "CONTACT_CENTER", Source.INFERRED,
                    "removed when re-evaluated"));
}
