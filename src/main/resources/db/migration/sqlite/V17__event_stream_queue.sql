-- The event stream's queue (issue 19): one row per event-log record of an app that has an event stream, written in
-- the transaction that writes the record. id grows with every row and is the order of delivery; record is the JSON
-- Pinpoint streams, built when the row is written; endpoint_key is the Kinesis partition key (per-endpoint order).
-- Delivered rows are deleted: what is left is the cursor. attempts and next_attempt_ms hold the back-off of the
-- app's first row, which blocks the app's later rows until it is delivered or dropped. Times are epoch milliseconds.
CREATE TABLE event_stream_queue (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    app_id          TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    endpoint_key    TEXT NOT NULL,
    record          TEXT NOT NULL,
    created_ms      BIGINT NOT NULL,
    attempts        INTEGER NOT NULL,
    next_attempt_ms BIGINT NOT NULL
);
CREATE INDEX event_stream_queue_by_app ON event_stream_queue (app_id, id);

-- One node at a time delivers an app's queue: it holds the app's lease until lease_until_ms.
ALTER TABLE event_streams ADD COLUMN lease_owner TEXT;
ALTER TABLE event_streams ADD COLUMN lease_until_ms BIGINT NOT NULL DEFAULT 0;
