-- Apps and journeys are listed by a position that only grows, handed out in the inserting transaction while it
-- holds a row lock (the 'apps' counter below; the app's last_journey_seq for its journeys), so positions become
-- visible in the order they were handed out and a walk through the pages never skips an item created meanwhile,
-- whatever the nodes' clocks say.
CREATE TABLE sequences (
    name       TEXT PRIMARY KEY,
    last_value BIGINT NOT NULL
);

ALTER TABLE apps ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE apps ADD COLUMN last_journey_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE journeys ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;

-- Existing rows keep the order they were listed in.
UPDATE apps SET seq = ranked.position
FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY created_ms, id) AS position FROM apps) AS ranked
WHERE apps.id = ranked.id;
UPDATE journeys SET seq = ranked.position
FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY app_id ORDER BY created_ms, id) AS position FROM journeys) AS ranked
WHERE journeys.id = ranked.id;
UPDATE apps SET last_journey_seq = (SELECT COALESCE(MAX(seq), 0) FROM journeys WHERE journeys.app_id = apps.id);
INSERT INTO sequences (name, last_value) VALUES ('apps', (SELECT COALESCE(MAX(seq), 0) FROM apps));

DROP INDEX apps_order;
DROP INDEX journeys_order;
CREATE INDEX apps_position ON apps (seq, id);
CREATE INDEX journeys_position ON journeys (app_id, seq, id);
