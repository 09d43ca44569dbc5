-- GetJourneyRuns reads a page of a journey's runs in (created_ms, run_id) order and writes run_id, status,
-- created_ms and updated_ms of each: with all four in the index, a page is one walk of the index with no lookup
-- of each run's row in the table. It replaces journey_runs_order, whose key it starts with.
CREATE INDEX journey_runs_page ON journey_runs (journey_id, created_ms, run_id, status, updated_ms);
DROP INDEX journey_runs_order;
