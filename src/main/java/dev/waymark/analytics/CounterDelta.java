package dev.waymark.analytics;

import java.util.regex.Pattern;

/**
 * One change to one execution counter: add {@code delta} to {@code key} of the journey's run {@code runId} ("" for a
 * count not tied to a run) at activity {@code activityId} ("" for a participant-level count). Negative deltas are
 * for gauges such as {@code ENDPOINT_ACTIVE}, which goes down when a participant leaves.
 */
public record CounterDelta(String runId, String activityId, String key, long delta) {
    /** Ids and keys are Waymark's own (ids of at most 128 characters, keys from {@link MetricKeys}). */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final int MAX_ID = 128;

    public CounterDelta {
        if (runId == null || activityId == null || runId.length() > MAX_ID || activityId.length() > MAX_ID) {
            throw new IllegalArgumentException("a counter's run and activity ids are non-null and at most " + MAX_ID
                    + " characters");
        }
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("a counter key is 1 to 64 letters, digits or '_', not '" + key + "'");
        }
    }

    /** A participant-level count in a run, e.g. {@code run(runId, MetricKeys.ENDPOINT_ENTERED, 1)}. */
    public static CounterDelta run(String runId, String key, long delta) {
        return new CounterDelta(runId, "", key, delta);
    }

    /** A count at one activity in a run, e.g. {@code activity(runId, "email1", MetricKeys.SUCCESS, 1)}. */
    public static CounterDelta activity(String runId, String activityId, String key, long delta) {
        return new CounterDelta(runId, activityId, key, delta);
    }
}
