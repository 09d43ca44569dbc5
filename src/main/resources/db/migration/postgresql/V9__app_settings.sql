-- An app's default settings (UpdateApplicationSettings): the members as sent, as one JSON document, and when they
-- last changed. An app that was never updated has no row and answers its defaults. DeleteApp deletes the row.
CREATE TABLE app_settings (
    app_id      TEXT PRIMARY KEY REFERENCES apps (id) ON DELETE CASCADE,
    document    TEXT NOT NULL,
    modified_ms BIGINT NOT NULL
);
