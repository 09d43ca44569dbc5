package dev.waymark.engine;

import dev.waymark.journeys.JourneyState;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Journeys as the engine reads them inside its transactions: state and row version each time, the definition only
 * when the version changed (UpdateJourney), read into a {@link JourneyPlan} once per version.
 */
final class PlanCache {
    /** A journey's state, with its plan (empty when its definition cannot be executed). */
    record Journey(String appId, String journeyId, JourneyState state, long version, Optional<JourneyPlan> plan) {}

    private static final Logger LOG = LoggerFactory.getLogger(PlanCache.class);
    /** How many plans are kept; a plan is small next to its definition, but the number of journeys is not bounded. */
    private static final int MAX_PLANS = 10_000;

    private record Cached(long version, Optional<JourneyPlan> plan) {}

    private final Map<String, Cached> plans = new ConcurrentHashMap<>();
    /**
     * On PostgreSQL the state is read with a share lock, so that a state change (which locks the row) cannot commit
     * between this read and what the transaction does because of it.
     */
    private final String share;

    PlanCache(dev.waymark.store.sql.Dialect dialect) {
        this.share = dialect.skipLockedPolling() ? " FOR SHARE" : "";
    }

    /** The journeys among {@code ids} that exist, by id. */
    Map<String, Journey> load(Handle handle, Collection<String> ids) {
        Map<String, Journey> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        record Row(String id, String appId, JourneyState state, long version) {}
        List<Row> rows = handle.createQuery("SELECT id, app_id, state, version FROM journeys WHERE id IN (<ids>)"
                        + share)
                .bindList("ids", List.copyOf(ids))
                .map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2), JourneyState.valueOf(rs.getString(3)),
                        rs.getLong(4))).list();
        for (Row row : rows) {
            Cached cached = plans.get(row.id());
            if (cached == null || cached.version() != row.version()) {
                cached = new Cached(row.version(), read(handle, row.id(), row.appId(), row.version()));
                if (plans.size() >= MAX_PLANS) {
                    plans.clear();
                }
                plans.put(row.id(), cached);
            }
            found.put(row.id(), new Journey(row.appId(), row.id(), row.state(), row.version(), cached.plan()));
        }
        return found;
    }

    Optional<Journey> load(Handle handle, String id) {
        return Optional.ofNullable(load(handle, List.of(id)).get(id));
    }

    private static Optional<JourneyPlan> read(Handle handle, String id, String appId, long version) {
        Optional<String> definition = handle.createQuery("SELECT definition FROM journeys WHERE id = :id")
                .bind("id", id).mapTo(String.class).findOne();
        if (definition.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JourneyPlanReader.read(appId, id, version, definition.get()));
        } catch (JourneyPlanReader.UnreadablePlanException | UnsupportedOperationException e) {
            LOG.warn("Journey {}: its definition cannot be executed: {}", id, e.getMessage());
            return Optional.empty();
        }
    }

    void forget(String journeyId) {
        plans.remove(journeyId);
    }
}
