-- The engine's state sync runs every half second on every node. Without these it read every journey each time
-- (10,000 journeys on SQLite: 12 ms a pass, about 2.5 % of a core on an idle server): journeys_by_state finds the
-- PAUSED and CANCELLED journeys whose messages it holds or withdraws again, and journeys_changes answers "did any
-- journey change since the last pass" (count, newest modification, sum of versions) from an index of two columns
-- (0.7 ms), so the comparison of every journey with the engine's copy runs when one did, and otherwise every 5 s.
CREATE INDEX journeys_by_state ON journeys (state);
CREATE INDEX journeys_changes ON journeys (modified_ms, version);
