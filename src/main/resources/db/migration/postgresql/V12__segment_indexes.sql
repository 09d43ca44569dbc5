-- Segments name a Country in most definitions. With this index a segment's count and its keyset pages visit only
-- the endpoints of the countries named, in key order for one country, and never read the row of an endpoint whose
-- country is not named; the JSON tests of the other dimensions (json_extract, json_each), the costly part, run on
-- those rows only. bench/run_segments.py, 1,000,000 endpoints, the three-dimension segment, warm: one country of
-- 10 %: count 0.75 -> 0.16 s of CPU, all members in pages of 1,000 0.9 -> 0.3 s; two countries of 50 %: count
-- 1.07 -> 0.69 s (pages still walk the primary key, in key order, with no sort). BENCHMARKS.md, "Segments".
CREATE INDEX endpoints_country ON endpoints (app_id, country, id_key);
