package dev.waymark.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.analytics.CounterDelta;
import dev.waymark.analytics.MetricKeys;
import dev.waymark.journeys.JourneyState;
import dev.waymark.segments.Criterion;
import dev.waymark.segments.SegmentMembers;
import dev.waymark.store.sql.Dialect;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry of segment-started runs (engine.md E1): a RUNNING run's segment version is evaluated a page at a time in
 * endpoint key order, each page's participants, counters and cursor committed together, so a crash resumes after the
 * last committed page and no endpoint is produced twice.
 */
final class SqlRunEntries {
    /** Endpoints entered per transaction. */
    static final int PAGE = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(SqlRunEntries.class);

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final SegmentMembers segments;
    private final SqlParticipants participants;
    private final PlanCache plans;
    private final MoveBatch.Sinks sinks;
    private final Function<String, String> keys;
    private final ParticipantSteps steps;
    private final dev.waymark.apps.AppStore apps;
    /** Each run's criterion, read once: a run evaluates one segment version. */
    private final Map<String, Optional<Criterion>> criteria = new ConcurrentHashMap<>();

    /** An open entry: its run, journey, app, segment and version, start, and where it got to. */
    private record Open(String runId, String journeyId, String appId, String segmentId, Integer version,
                        Instant started, Optional<String> afterKey, boolean listed) {}

    SqlRunEntries(Jdbi jdbi, Dialect dialect, SegmentMembers segments, SqlParticipants participants, PlanCache plans,
                  MoveBatch.Sinks sinks, Function<String, String> keys, ParticipantSteps steps,
                  dev.waymark.apps.AppStore apps) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.segments = segments;
        this.participants = participants;
        this.plans = plans;
        this.sinks = sinks;
        this.keys = keys;
        this.steps = steps;
        this.apps = apps;
    }

    /**
     * Whether a RUNNING run has no entry row yet. The IN term is journey_runs_open's own condition, written out
     * because SQLite uses a partial index only for a query that states its condition: without it, this look at every
     * poll scanned every run (100 ms with a million runs).
     */
    static final String ANY_UNDISCOVERED = "SELECT 1 FROM journey_runs r LEFT JOIN run_entries e ON e.run_id = "
            + "r.run_id WHERE r.status IN ('SCHEDULED', 'RUNNING') AND r.status = 'RUNNING' AND e.run_id IS NULL "
            + "LIMIT 1";

    /** Gives every RUNNING run without one an entry row, pinning its segment version; how many. */
    int discover(Instant now) {
        // Looked for outside a transaction first: on SQLite an empty write transaction still takes the writer lock.
        boolean any = jdbi.withHandle(handle -> handle.createQuery(ANY_UNDISCOVERED)
                .mapTo(Integer.class).findOne().isPresent());
        if (!any) {
            return 0;
        }
        return jdbi.inTransaction(handle -> {
            record Found(String runId, String journeyId, String appId, long started) {}
            List<Found> found = handle.createQuery("SELECT r.run_id, r.journey_id, j.app_id, r.started_ms FROM "
                            + "journey_runs r JOIN journeys j ON j.id = r.journey_id LEFT JOIN run_entries e ON "
                            + "e.run_id = r.run_id WHERE r.status IN ('SCHEDULED', 'RUNNING') AND r.status = 'RUNNING' "
                            + "AND e.run_id IS NULL LIMIT 100")
                    .map((rs, ctx) -> new Found(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)))
                    .list();
            // The journeys of the runs found, locked FOR KEY SHARE (the lock the entry row's foreign key takes
            // anyway) in id order, as every writer locks journeys (lock order: SqlAppStore), and read again under
            // that lock: on PostgreSQL a DeleteApp or DeleteJourney may have deleted a journey since the read above,
            // or hold its row locked to delete it; its row lock makes this wait for it, and a deleted journey is not
            // returned. Its runs are gone with it, so they get no entry row: inserting one would fail the foreign
            // key and with it this whole transaction. SQLite's write transactions exclude every other writer.
            Set<String> live = found.isEmpty() ? Set.of() : new HashSet<>(handle.createQuery("SELECT id FROM journeys "
                            + "WHERE id IN (<ids>) ORDER BY id"
                            + dialect.keyShareLockSuffix())
                    .bindList("ids", found.stream().map(Found::journeyId).distinct().toList())
                    .mapTo(String.class).list());
            int entered = 0;
            for (Found run : found) {
                if (!live.contains(run.journeyId())) {
                    continue;
                }
                Optional<JourneyPlan> plan = plans.load(handle, run.journeyId()).flatMap(PlanCache.Journey::plan);
                Optional<String> segment = plan.filter(p -> p.eventStart().isEmpty()).flatMap(JourneyPlan::segmentId);
                Integer version = segment.flatMap(id -> version(handle, plan.get(), id)).orElse(null);
                handle.createUpdate("INSERT INTO run_entries (run_id, app_id, journey_id, segment_id, segment_version, "
                                + "started_ms, done_ms) VALUES (:run, :app, :journey, :segment, :version, :started, "
                                + ":done) ON CONFLICT (run_id) DO NOTHING")
                        .bind("run", run.runId()).bind("app", run.appId()).bind("journey", run.journeyId())
                        .bind("segment", segment.orElse(null)).bind("version", version)
                        .bind("started", run.started() == 0 ? now.toEpochMilli() : run.started())
                        .bind("done", segment.isPresent() ? null : now.toEpochMilli()).execute();
                entered++;
            }
            return entered;
        });
    }

    /**
     * The segment version a run evaluates: the one pinned when the journey was first seen ACTIVE, or with
     * RefreshOnSegmentUpdate the latest now.
     */
    private Optional<Integer> version(Handle handle, JourneyPlan plan, String segmentId) {
        Optional<Integer> latest = segments.latestVersion(plan.appId(), segmentId);
        if (plan.refreshOnSegmentUpdate()) {
            return latest;
        }
        Optional<Integer> pinned = handle.createQuery("SELECT segment_version FROM engine_journeys WHERE journey_id = "
                + ":journey").bind("journey", plan.journeyId()).mapTo(Integer.class).findOne();
        if (pinned.isPresent()) {
            return pinned;
        }
        JourneyStateSync.pin(handle, plan.appId(), plan.journeyId(), JourneyState.ACTIVE, latest);
        return latest;
    }

    /** What one call of {@link #enterPage} did: whether it found work, and the journey whose entry it finished. */
    record Progress(boolean worked, Optional<String> finishedJourney, long moves) {
        static final Progress IDLE = new Progress(false, Optional.empty(), 0);
    }

    /** Enters one page of one open entry (or finishes an entry whose last page was read). */
    Progress enterPage(Instant now) {
        boolean any = jdbi.withHandle(handle -> handle.createQuery("SELECT 1 FROM run_entries WHERE done_ms IS NULL "
                + "LIMIT 1").mapTo(Integer.class).findOne().isPresent());
        if (!any) {
            return Progress.IDLE;
        }
        return jdbi.inTransaction(handle -> {
            String lock = dialect.skipLockedPolling() ? " FOR UPDATE OF e SKIP LOCKED" : "";
            Optional<Open> open = handle.createQuery("SELECT e.run_id, e.journey_id, e.app_id, e.segment_id, "
                            + "e.segment_version, e.started_ms, e.after_key, e.listed_ms FROM run_entries e JOIN "
                            + "journey_runs r ON r.run_id = e.run_id JOIN journeys j ON j.id = e.journey_id WHERE "
                            + "e.done_ms IS NULL AND r.status = 'RUNNING' AND j.state = 'ACTIVE' ORDER BY e.started_ms "
                            + "LIMIT 1" + lock)
                    .map((rs, ctx) -> new Open(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            (Integer) rs.getObject(5, Integer.class), Instant.ofEpochMilli(rs.getLong(6)),
                            Optional.ofNullable(rs.getString(7)), rs.getObject(8) != null))
                    .findOne();
            if (open.isEmpty()) {
                return Progress.IDLE;
            }
            Open entry = open.get();
            if (entry.listed()) {
                // Listed: done once no participant of the run waits for its local start time any more.
                if (!participants.entering(handle, entry.runId())) {
                    done(handle, entry, now);
                    return new Progress(true, Optional.of(entry.journeyId()), 0);
                }
                return Progress.IDLE;
            }
            Optional<JourneyPlan> plan = plans.load(handle, entry.journeyId()).flatMap(PlanCache.Journey::plan);
            Optional<Criterion> criterion = plan.isEmpty() ? Optional.empty()
                    : criteria.computeIfAbsent(entry.runId(), run -> segments.criterion(entry.appId(),
                            entry.segmentId(), Optional.ofNullable(entry.version())));
            if (criterion.isEmpty()) {
                LOG.warn("Journey {}: run {} cannot evaluate segment {} version {} (gone, or the journey cannot be "
                        + "executed); it enters nobody", entry.journeyId(), entry.runId(), entry.segmentId(),
                        entry.version());
                done(handle, entry, now);
                return new Progress(true, Optional.of(entry.journeyId()), 0);
            }
            List<ObjectNode> page = segments.page(entry.appId(), criterion.get(), entry.started(), entry.afterKey(),
                    PAGE);
            long moves = enter(handle, plan.get(), entry, page, now);
            if (page.size() < PAGE) {
                handle.createUpdate("UPDATE run_entries SET listed_ms = :now WHERE run_id = :run")
                        .bind("now", now.toEpochMilli()).bind("run", entry.runId()).execute();
                criteria.remove(entry.runId());
            }
            return new Progress(true, Optional.empty(), moves);
        });
    }

    /** Enters one page; the number of moves made (the entered participants' first moves). */
    private long enter(Handle handle, JourneyPlan plan, Open entry, List<ObjectNode> page, Instant now) {
        if (page.isEmpty()) {
            return 0;
        }
        MoveBatch batch = new MoveBatch();
        List<String> pageKeys = new ArrayList<>(page.size());
        for (ObjectNode endpoint : page) {
            pageKeys.add(keys.apply(endpoint.path("Id").asText()));
        }
        Map<String, Participant> existing = participants.find(handle, plan.appId(), plan.journeyId(), pageKeys);
        List<Participant> admitted = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        AppDefaults app = apps.settings(plan.appId()).map(AppDefaults::of).orElse(AppDefaults.NONE);
        ParticipantSteps.Criteria criteria = new ParticipantSteps.Criteria();
        for (int i = 0; i < page.size(); i++) {
            String key = pageKeys.get(i);
            if (!seen.add(key)) {
                continue;
            }
            batch.count(plan.appId(), plan.journeyId(), CounterDelta.run(entry.runId(), MetricKeys.ENDPOINT_PRODUCED,
                    1));
            Optional<Participant> entered = Admission.admit(plan, entry.runId(), entry.started(), page.get(i), key,
                    Optional.ofNullable(existing.get(key)), now, batch);
            if (entered.isPresent()) {
                admitted.add(firstMove(handle, entered.get(), plan, page.get(i), app, now, batch, criteria));
            }
        }
        participants.save(handle, admitted);
        if (!admitted.isEmpty()) {
            JourneyStateSync.known(handle, plan.appId(), plan.journeyId());
        }
        batch.write(handle, sinks, now);
        handle.createUpdate("UPDATE run_entries SET after_key = :key WHERE run_id = :run")
                .bind("key", pageKeys.get(pageKeys.size() - 1)).bind("run", entry.runId()).execute();
        return batch.moves();
    }

    /**
     * An entered participant's first move, made with its entry (the endpoint is at hand, and its row is written once
     * instead of twice); when it fails, the participant is left due for the workers, who try it again.
     */
    private Participant firstMove(Handle handle, Participant entered, JourneyPlan plan, ObjectNode endpoint,
                                  AppDefaults app, Instant now, MoveBatch batch, ParticipantSteps.Criteria criteria) {
        if (entered.phase() != Participant.Phase.ARRIVING) {
            return entered;
        }
        MoveBatch own = new MoveBatch();
        try {
            Participant moved = steps.step(handle, entered, plan, Optional.of(endpoint), app, now, own, criteria);
            batch.absorb(own);
            return moved;
        } catch (RuntimeException e) {
            LOG.warn("Move failed: journey {}, endpoint {}, activity {}: {}; the workers try it again",
                    entered.journeyId(), entered.endpointId(), entered.activityId().orElse("(entry)"), e.toString());
            return entered;
        }
    }

    private static void done(Handle handle, Open entry, Instant now) {
        handle.createUpdate("UPDATE run_entries SET done_ms = :now, listed_ms = COALESCE(listed_ms, :now) WHERE "
                + "run_id = :run").bind("now", now.toEpochMilli()).bind("run", entry.runId()).execute();
    }

    /**
     * The journey's RUNNING runs whose entry is not done, the engine not having taken them up yet included (the
     * planner's question), read in its transaction.
     */
    static Set<String> unfinished(Handle handle, String journeyId) {
        return new HashSet<>(handle.createQuery("SELECT r.run_id FROM journey_runs r LEFT JOIN run_entries e ON "
                        + "e.run_id = r.run_id WHERE r.journey_id = :journey AND r.status = 'RUNNING' AND "
                        + "(e.run_id IS NULL OR e.done_ms IS NULL)")
                .bind("journey", journeyId).mapTo(String.class).list());
    }
}
