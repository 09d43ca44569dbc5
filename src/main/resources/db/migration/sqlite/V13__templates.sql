-- Message templates (issue 17): account-level, one row per (type, name), one per version. Version numbers are never
-- reused: last_version only grows, even when the latest version is deleted.
CREATE TABLE templates (
    type           TEXT NOT NULL,
    name           TEXT NOT NULL,
    active_version INTEGER NOT NULL,
    last_version   INTEGER NOT NULL,
    created_ms     BIGINT NOT NULL,
    PRIMARY KEY (name, type)
);

-- definition: the template request as accepted, less its tags, JSON text.
CREATE TABLE template_versions (
    type        TEXT NOT NULL,
    name        TEXT NOT NULL,
    version     INTEGER NOT NULL,
    definition  TEXT NOT NULL,
    created_ms  BIGINT NOT NULL,
    modified_ms BIGINT NOT NULL,
    PRIMARY KEY (name, type, version),
    FOREIGN KEY (name, type) REFERENCES templates (name, type) ON DELETE CASCADE
);
