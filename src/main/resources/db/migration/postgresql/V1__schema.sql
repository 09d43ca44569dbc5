-- PostgreSQL twin of the SQLite schema. Times are epoch milliseconds (UTC). Listings are ordered by (created_ms, id), which the indexes cover.
CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE apps (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);
CREATE INDEX apps_order ON apps (created_ms, id);

CREATE TABLE journeys (
    id          TEXT PRIMARY KEY,
    app_id      TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    state       TEXT NOT NULL,
    definition  TEXT NOT NULL,
    created_ms  BIGINT NOT NULL,
    modified_ms BIGINT NOT NULL,
    version     BIGINT NOT NULL
);
CREATE INDEX journeys_order ON journeys (app_id, created_ms, id);

-- (journey_id, sequence) is unique: the same run of a journey can never be created twice.
CREATE TABLE journey_runs (
    run_id       TEXT PRIMARY KEY,
    journey_id   TEXT NOT NULL REFERENCES journeys (id) ON DELETE CASCADE,
    sequence     INTEGER NOT NULL,
    status       TEXT NOT NULL,
    scheduled_ms BIGINT NOT NULL,
    created_ms   BIGINT NOT NULL,
    updated_ms   BIGINT NOT NULL,
    UNIQUE (journey_id, sequence)
);
CREATE INDEX journey_runs_order ON journey_runs (journey_id, created_ms, run_id);

CREATE TABLE tags (
    resource_id TEXT NOT NULL,
    tag_key     TEXT NOT NULL,
    tag_value   TEXT NOT NULL,
    PRIMARY KEY (resource_id, tag_key)
);
