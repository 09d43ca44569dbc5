-- The journey engine (issue 18, engine.md E1-E5). One participant row per (journey, endpoint): where it is, when it is
-- next due, and its entry ledger (entries, entered_ms, messages), which outlives each pass through the journey so that
-- EndpointReentryCap, EndpointReentryInterval and TotalCap hold across entries. phase: ENTERING (waits for its local
-- start time, LocalTime), ARRIVING (due to run its activity), WAITING (a Wait), EVALUATING (a split's
-- EvaluationWaitTime), HOLDING (a message held by quiet time), FINISHED. due_ms is NULL when nothing is due (finished,
-- or frozen while the journey is PAUSED, with paused_left_ms the time it had left). Times are epoch milliseconds.
CREATE TABLE participants (
    app_id         TEXT NOT NULL,
    journey_id     TEXT NOT NULL REFERENCES journeys (id) ON DELETE CASCADE,
    endpoint_key   TEXT NOT NULL,
    endpoint_id    TEXT NOT NULL,
    entries        INTEGER NOT NULL,
    run_id         TEXT NOT NULL,
    activity_id    TEXT,
    phase          TEXT NOT NULL,
    due_ms         BIGINT,
    paused_left_ms BIGINT,
    arrived_ms     BIGINT NOT NULL,
    entered_ms     BIGINT NOT NULL,
    messages       INTEGER NOT NULL,
    finished_ms    BIGINT,
    PRIMARY KEY (app_id, journey_id, endpoint_key)
);
-- The workers' claims: due participants, earliest first.
CREATE INDEX participants_due ON participants (due_ms) WHERE due_ms IS NOT NULL;
-- A journey's participants still in it (pause, resume, cancel, COMPLETED).
CREATE INDEX participants_active ON participants (journey_id) WHERE finished_ms IS NULL;
-- DeleteEndpoint: the journeys an endpoint is in.
CREATE INDEX participants_of_endpoint ON participants (app_id, endpoint_key) WHERE finished_ms IS NULL;
-- A run's endpoints still waiting for their local start time (LocalTime).
CREATE INDEX participants_entering ON participants (run_id) WHERE phase = 'ENTERING';
-- Pruning finished rows after the retention.
CREATE INDEX participants_finished ON participants (finished_ms) WHERE finished_ms IS NOT NULL;

-- Every message the engine queued, per endpoint, for DailyCap and TimeframeCap (at most 30 days back); pruned after.
CREATE TABLE journey_messages (
    app_id       TEXT NOT NULL,
    endpoint_key TEXT NOT NULL,
    journey_id   TEXT NOT NULL,
    sent_ms      BIGINT NOT NULL
);
CREATE INDEX journey_messages_endpoint ON journey_messages (app_id, endpoint_key, sent_ms);
CREATE INDEX journey_messages_age ON journey_messages (sent_ms);

-- The entry of a run (E1): which segment version it evaluates, how far it got (after_key, the last endpoint key
-- entered or refused, committed with that page's participants), when the last page was read (listed_ms) and when
-- the entry finished (done_ms: listed, and no participant of the run still waits for its local start time).
-- Event-started runs have a row finished at once: their endpoints come from PutEvents.
CREATE TABLE run_entries (
    run_id          TEXT PRIMARY KEY,
    app_id          TEXT NOT NULL,
    journey_id      TEXT NOT NULL REFERENCES journeys (id) ON DELETE CASCADE,
    segment_id      TEXT,
    segment_version INTEGER,
    started_ms      BIGINT NOT NULL,
    after_key       TEXT,
    listed_ms       BIGINT,
    done_ms         BIGINT
);
CREATE INDEX run_entries_open ON run_entries (journey_id) WHERE done_ms IS NULL;

-- What the engine last applied of each journey's state (pause freezes, resume thaws, cancel removes), and the entry
-- segment version pinned when the journey was first seen ACTIVE. Kept after DeleteJourney until the engine has
-- withdrawn the journey's messages.
CREATE TABLE engine_journeys (
    journey_id      TEXT PRIMARY KEY,
    app_id          TEXT NOT NULL,
    seen_state      TEXT NOT NULL,
    segment_version INTEGER
);
