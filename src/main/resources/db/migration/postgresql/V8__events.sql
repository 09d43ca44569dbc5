-- The events PutEvents accepted. One row per (app, endpoint, event id): a retried PutEvents records nothing twice
-- (the first row stays). endpoint_key is the endpoint id lower-cased, as endpoints are keyed. Times are epoch
-- milliseconds: timestamp_ms is the event's own Timestamp, received_ms when Waymark accepted it.
CREATE TABLE events (
    app_id       TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    endpoint_key TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    event_type   TEXT NOT NULL,
    timestamp_ms BIGINT NOT NULL,
    received_ms  BIGINT NOT NULL,
    attributes   JSONB NOT NULL,
    metrics      JSONB NOT NULL,
    session      TEXT,
    other        TEXT,
    PRIMARY KEY (app_id, endpoint_key, event_id)
);
-- Segments (Behavior.Recency) and EventCondition splits read an endpoint's events since an instant; journey entry
-- and reports read an app's events of one type since an instant.
CREATE INDEX events_by_endpoint ON events (app_id, endpoint_key, timestamp_ms);
CREATE INDEX events_by_type ON events (app_id, event_type, timestamp_ms);

-- The names each app's events have used, for Pinpoint's per-app quotas: kind T (event types, 1,500),
-- A (attribute keys, 500), M (metric keys, 500).
CREATE TABLE event_names (
    app_id TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    kind   TEXT NOT NULL,
    name   TEXT NOT NULL,
    PRIMARY KEY (app_id, kind, name)
);
