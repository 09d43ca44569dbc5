-- Execution metrics (issue 19): exact counts, written by the engine inside the transaction of the move that causes
-- them. One row per (journey, run, activity, key); run_id '' is a count not tied to a run, activity_id '' a count
-- not tied to an activity. Journey-level figures are sums over the runs, so each fact is written once.
-- changed_ms: when the row last changed, the LastEvaluatedTime the metrics answer.
CREATE TABLE journey_counters (
    app_id      TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    journey_id  TEXT NOT NULL REFERENCES journeys (id) ON DELETE CASCADE,
    run_id      TEXT NOT NULL,
    activity_id TEXT NOT NULL,
    counter_key TEXT NOT NULL,
    value       BIGINT NOT NULL,
    changed_ms  BIGINT NOT NULL,
    PRIMARY KEY (app_id, journey_id, run_id, activity_id, counter_key)
);
-- The activity metrics of a journey sum over its runs by activity.
CREATE INDEX journey_counters_by_activity ON journey_counters (app_id, journey_id, activity_id, counter_key);

-- An app's event stream (PutEventStream): at most one per app. destination is a Kinesis or Firehose ARN, or an
-- https:// URL (Waymark's extension); updated_by names the access key that last wrote it.
CREATE TABLE event_streams (
    app_id      TEXT PRIMARY KEY REFERENCES apps (id) ON DELETE CASCADE,
    destination TEXT NOT NULL,
    role_arn    TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    modified_ms BIGINT NOT NULL
);
