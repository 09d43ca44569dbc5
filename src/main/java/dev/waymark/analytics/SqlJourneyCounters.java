package dev.waymark.analytics;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

/** Execution counters in the {@code journey_counters} table (V16). */
public final class SqlJourneyCounters implements JourneyCounters {
    /** The most distinct keys one read answers: the key table has a few dozen, Branch_n adds at most 100 more. */
    static final int MAX_KEYS = 1_000;

    private final Jdbi jdbi;

    public SqlJourneyCounters(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void add(Handle handle, String appId, String journeyId, List<CounterDelta> deltas, Instant at) {
        // Summed per counter and sorted, so that every transaction locks the rows it touches in the same order.
        Map<List<String>, Long> summed = new TreeMap<>((a, b) -> {
            for (int i = 0; i < a.size(); i++) {
                int order = a.get(i).compareTo(b.get(i));
                if (order != 0) {
                    return order;
                }
            }
            return 0;
        });
        for (CounterDelta delta : deltas) {
            summed.merge(List.of(delta.runId(), delta.activityId(), delta.key()), delta.delta(), Long::sum);
            if (summed.size() > MAX_DELTAS) {
                throw new IllegalArgumentException("one move adds to at most " + MAX_DELTAS + " counters");
            }
        }
        if (summed.isEmpty()) {
            return;
        }
        PreparedBatch batch = handle.prepareBatch("INSERT INTO journey_counters "
                + "(app_id, journey_id, run_id, activity_id, counter_key, value, changed_ms) "
                + "VALUES (:app, :journey, :run, :activity, :key, :delta, :at) "
                + "ON CONFLICT (app_id, journey_id, run_id, activity_id, counter_key) "
                + "DO UPDATE SET value = journey_counters.value + excluded.value, changed_ms = excluded.changed_ms");
        summed.forEach((counter, delta) -> batch.bind("app", appId).bind("journey", journeyId)
                .bind("run", counter.get(0)).bind("activity", counter.get(1)).bind("key", counter.get(2))
                .bind("delta", delta).bind("at", at.toEpochMilli()).add());
        batch.execute();
    }

    @Override
    public CounterReading read(String appId, String journeyId, Optional<String> runId, String activityId) {
        return jdbi.withHandle(handle -> {
            Query query = handle.createQuery("SELECT counter_key, SUM(value) AS total, MAX(changed_ms) AS changed "
                            + "FROM journey_counters WHERE app_id = :app AND journey_id = :journey "
                            + "AND activity_id = :activity" + (runId.isPresent() ? " AND run_id = :run" : "")
                            + " GROUP BY counter_key ORDER BY counter_key LIMIT :limit")
                    .bind("app", appId).bind("journey", journeyId).bind("activity", activityId)
                    .bind("limit", MAX_KEYS);
            runId.ifPresent(run -> query.bind("run", run));
            Map<String, Long> values = new HashMap<>();
            long changed = Long.MIN_VALUE;
            for (Row row : query.map((rs, ctx) -> new Row(rs.getString("counter_key"), rs.getLong("total"),
                    rs.getLong("changed"))).list()) {
                values.put(row.key(), row.total());
                changed = Math.max(changed, row.changed());
            }
            return new CounterReading(Map.copyOf(values),
                    changed == Long.MIN_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(changed)));
        });
    }

    private record Row(String key, long total, long changed) {}
}
