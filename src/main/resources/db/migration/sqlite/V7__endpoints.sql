-- Endpoints: one row per endpoint, keyed by the app and the lower-cased id (ids are case-insensitive); id keeps the
-- client's spelling. What segments filter on has its own column; the maps and structures are JSON text, which
-- SQLite's json functions read. Times are epoch milliseconds.
CREATE TABLE endpoints (
    app_id          TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    id_key          TEXT NOT NULL,
    id              TEXT NOT NULL,
    channel_type    TEXT,
    address         TEXT,
    endpoint_status TEXT NOT NULL,
    opt_out         TEXT,
    request_id      TEXT,
    user_id         TEXT,
    cohort_id       INTEGER NOT NULL,
    created_ms      BIGINT NOT NULL,
    modified_ms     BIGINT NOT NULL,
    effective_date  TEXT NOT NULL,
    effective_ms    BIGINT NOT NULL,
    timezone        TEXT,
    country         TEXT,
    postal_code     TEXT,
    latitude        DOUBLE PRECISION,
    longitude       DOUBLE PRECISION,
    attributes      TEXT,
    user_attributes TEXT,
    metrics         TEXT,
    demographic     TEXT,
    location        TEXT,
    PRIMARY KEY (app_id, id_key)
);
CREATE INDEX endpoints_user ON endpoints (app_id, user_id);
CREATE INDEX endpoints_channel ON endpoints (app_id, channel_type);
CREATE INDEX endpoints_address ON endpoints (app_id, address);

-- The attribute names an app has used, for Pinpoint's limit of 250 across Attributes, Metrics and UserAttributes.
-- kind: A (endpoint custom attributes), M (metrics), U (user attributes).
CREATE TABLE endpoint_attribute_names (
    app_id TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    kind   TEXT NOT NULL,
    name   TEXT NOT NULL,
    PRIMARY KEY (app_id, kind, name)
);

-- RemoveAttributes: names and globs whose new values are no longer captured.
CREATE TABLE endpoint_attribute_blacklist (
    app_id  TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL,
    pattern TEXT NOT NULL,
    PRIMARY KEY (app_id, kind, pattern)
);
