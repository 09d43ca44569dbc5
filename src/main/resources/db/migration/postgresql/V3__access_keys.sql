-- apps: comma-separated app ids a scoped key may use (empty for admin keys).
CREATE TABLE access_keys (
    id         TEXT PRIMARY KEY,
    secret     TEXT NOT NULL,
    admin      BOOLEAN NOT NULL,
    apps       TEXT NOT NULL,
    read_only  BOOLEAN NOT NULL,
    created_ms BIGINT NOT NULL,
    revoked_ms BIGINT
);
