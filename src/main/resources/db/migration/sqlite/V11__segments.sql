-- Segments (issue 16): one row per segment, one per version. A segment's versions are never changed once written,
-- except an IMPORT segment's latest version, whose ImportDefinition Size and ChannelCounts an import job sets.
-- seq: the segment's position in its app's listing, from apps.last_segment_seq, taken under the app's row lock so
-- that a listing walked while segments are created returns each exactly once.
ALTER TABLE apps ADD COLUMN last_segment_seq BIGINT NOT NULL DEFAULT 0;

CREATE TABLE segments (
    app_id         TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    id             TEXT NOT NULL,
    type           TEXT NOT NULL,
    latest_version INTEGER NOT NULL,
    created_ms     BIGINT NOT NULL,
    seq            BIGINT NOT NULL,
    PRIMARY KEY (app_id, id)
);
CREATE UNIQUE INDEX segments_order ON segments (app_id, seq, id);

-- definition: the WriteSegmentRequest as accepted (Name and Dimensions or SegmentGroups; an IMPORT segment's Name
-- and ImportDefinition), JSON text.
CREATE TABLE segment_versions (
    app_id      TEXT NOT NULL,
    segment_id  TEXT NOT NULL,
    version     INTEGER NOT NULL,
    definition  TEXT NOT NULL,
    modified_ms BIGINT NOT NULL,
    PRIMARY KEY (app_id, segment_id, version),
    FOREIGN KEY (app_id, segment_id) REFERENCES segments (app_id, id) ON DELETE CASCADE
);
