-- An app's channels (issue 17): one row per (app, type), type as Pinpoint's ChannelType spells it (EMAIL, SMS, GCM,
-- APNS_SANDBOX, ...). settings: the non-secret members as last sent, JSON text. credentials: the names of the secret
-- members the last update carried (a JSON array such as ["Certificate","PrivateKey"]): the secrets themselves are
-- never stored, only that they were given, which is all HasCredential and HasTokenKey answer. version counts updates
-- from 1. DeleteApp takes the rows with it.
CREATE TABLE channels (
    app_id      TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    type        TEXT NOT NULL,
    enabled     BOOLEAN NOT NULL,
    settings    TEXT NOT NULL,
    credentials TEXT NOT NULL,
    version     INTEGER NOT NULL,
    created_ms  BIGINT NOT NULL,
    modified_ms BIGINT NOT NULL,
    modified_by TEXT,
    PRIMARY KEY (app_id, type)
);
