-- Import and export jobs (Pinpoint's ImportJobResponse / ExportJobResponse), run in the background by any node.
-- A job row is also its cursor: the piece being read and how many records of it are done, with the counters, all
-- changed in the same transaction as the endpoints a chunk writes, so a restart repeats nothing and loses nothing.
-- lease_owner / lease_until_ms: the node working on the job and until when; an expired lease is taken over.
CREATE TABLE audience_jobs (
    id               TEXT PRIMARY KEY,
    app_id           TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    kind             TEXT NOT NULL,
    segment_id       TEXT,
    definition       TEXT NOT NULL,
    status           TEXT NOT NULL,
    created_ms       BIGINT NOT NULL,
    completed_ms     BIGINT,
    total_pieces     INTEGER NOT NULL DEFAULT 0,
    completed_pieces INTEGER NOT NULL DEFAULT 0,
    failed_pieces    INTEGER NOT NULL DEFAULT 0,
    total_processed  BIGINT NOT NULL DEFAULT 0,
    total_failures   BIGINT NOT NULL DEFAULT 0,
    failures         TEXT NOT NULL DEFAULT '[]',
    pieces           TEXT,
    piece_index      INTEGER NOT NULL DEFAULT 0,
    piece_records    BIGINT NOT NULL DEFAULT 0,
    export_after     TEXT,
    lease_owner      TEXT,
    lease_until_ms   BIGINT
);
CREATE INDEX audience_jobs_order ON audience_jobs (app_id, kind, created_ms, id);
CREATE INDEX audience_jobs_segment_order ON audience_jobs (app_id, segment_id, kind, created_ms, id);
-- Only unfinished jobs are in it, so every node's poll for work reads a handful of entries.
CREATE INDEX audience_jobs_unfinished ON audience_jobs (lease_until_ms) WHERE completed_ms IS NULL;

-- The endpoints of an IMPORT segment made by an import job with DefineSegment (the segments issue reads it).
CREATE TABLE import_segment_members (
    app_id       TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    segment_id   TEXT NOT NULL,
    endpoint_key TEXT NOT NULL,
    PRIMARY KEY (app_id, segment_id, endpoint_key)
);
