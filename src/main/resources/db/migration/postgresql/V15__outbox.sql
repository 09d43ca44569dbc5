-- The outbox (issue 17, engine.md E3): every message is a row first and a send second. One row per message, unique
-- per (app, idempotency key): queuing a key already queued adds nothing. content is the rendered message as JSON
-- text; journey_id/run_id/activity_id/trace_id say why it exists (the engine withdraws by journey). States: QUEUED
-- and RETRYING wait for next_attempt_ms; SENDING is in a transport's hands until lease_until_ms, and next_attempt_ms
-- then equals lease_until_ms, so that one due condition (next_attempt_ms <= now) also finds a hand-over whose node
-- died; DELIVERED, FAILED and WITHDRAWN are final and pruned after a retention. status_message is NULL until the
-- first answer from a transport. Times are epoch milliseconds.
CREATE TABLE outbox (
    id                  TEXT PRIMARY KEY,
    app_id              TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    idempotency_key     TEXT NOT NULL,
    channel             TEXT NOT NULL,
    destination         TEXT NOT NULL,
    endpoint_id         TEXT,
    content             TEXT NOT NULL,
    journey_id          TEXT,
    run_id              TEXT,
    activity_id         TEXT,
    trace_id            TEXT,
    rate_key            TEXT,
    rate_per_second     INTEGER,
    state               TEXT NOT NULL,
    attempts            INTEGER NOT NULL,
    next_attempt_ms     BIGINT NOT NULL,
    created_ms          BIGINT NOT NULL,
    lease_owner         TEXT,
    lease_until_ms      BIGINT,
    status_code         INTEGER NOT NULL,
    status_message      TEXT,
    provider_message_id TEXT,
    updated_ms          BIGINT NOT NULL,
    UNIQUE (app_id, idempotency_key)
);
-- The senders' claims, one channel at a time: messages without a rate and messages with one are claimed by separate
-- queries, so that a long backlog under one rate ceiling never stands in front of the others.
CREATE INDEX outbox_due_free ON outbox (channel, next_attempt_ms)
    WHERE state IN ('QUEUED', 'RETRYING', 'SENDING') AND rate_key IS NULL;
CREATE INDEX outbox_due_rated ON outbox (channel, next_attempt_ms)
    WHERE state IN ('QUEUED', 'RETRYING', 'SENDING') AND rate_key IS NOT NULL;
-- Withdrawing a journey's waiting messages (cancel, delete).
CREATE INDEX outbox_by_journey ON outbox (app_id, journey_id, state);
-- Pruning final rows after the retention.
CREATE INDEX outbox_final ON outbox (updated_ms) WHERE state IN ('DELIVERED', 'FAILED', 'WITHDRAWN');

-- How many messages of a rate key left in each one-second window (window_start_ms a multiple of 1,000), across every
-- node: a claim takes at most what the current window has left, so any 10 s hold at most 11 windows' worth (110 %).
-- Not an app's: the key names whatever shares the ceiling. Windows older than a minute are pruned.
CREATE TABLE send_rates (
    rate_key        TEXT NOT NULL,
    window_start_ms BIGINT NOT NULL,
    used            INTEGER NOT NULL,
    PRIMARY KEY (rate_key, window_start_ms)
);
