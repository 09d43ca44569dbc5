-- A journey whose runs could not be planned, again and again, for a reason of its own (a definition that no longer
-- reads, a schedule past what can be computed) is parked: recorded here, so that every node's sweep leaves it alone
-- and it stays parked across restarts, until an UpdateJourney or UpdateJourneyState changes it.
ALTER TABLE journeys ADD COLUMN parked_ms BIGINT;
-- Only parked journeys are in it, so counting them (on every sweep) reads a handful of entries, not the table.
CREATE INDEX journeys_parked ON journeys (parked_ms) WHERE parked_ms IS NOT NULL;
