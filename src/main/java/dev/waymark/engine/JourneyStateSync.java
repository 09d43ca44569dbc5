package dev.waymark.engine;

import dev.waymark.analytics.CounterDelta;
import dev.waymark.analytics.MetricKeys;
import dev.waymark.journeys.JourneyState;
import dev.waymark.messaging.Outbox;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies each journey's state to its participants (engine.md E4), once per change, whichever node sees it first:
 * PAUSED freezes every waiting participant with the time it had left and holds its queued messages; a resume thaws
 * and releases them; CANCELLED removes every participant (counted CANCELLED) and withdraws its messages; a deleted
 * journey's messages are withdrawn (its participants went with it). What was applied is recorded per journey, in the
 * same transaction, so a crash applies it again rather than twice or never.
 */
final class JourneyStateSync {
    /** Journeys looked at per call. */
    static final int BATCH = 100;
    /** How long {@link #syncChanged} trusts an unchanged fingerprint before it looks at every journey anyway. */
    static final Duration FULL_PASS_EVERY = Duration.ofSeconds(5);
    /** The journeys' {@link Fingerprint}, from the index {@code journeys_changes} alone. */
    static final String FINGERPRINT = "SELECT count(*), COALESCE(max(modified_ms), 0), COALESCE(sum(version), 0) "
            + "FROM journeys";
    /** PAUSED journeys with a message to hold, found through {@code journeys_by_state}. */
    static final String PAUSED_WITH_MESSAGES = "SELECT DISTINCT j.id, j.app_id FROM journeys j JOIN outbox o ON "
            + "o.app_id = j.app_id AND o.journey_id = j.id WHERE j.state = 'PAUSED' AND o.state IN ('QUEUED', "
            + "'RETRYING') LIMIT " + BATCH;
    /** CANCELLED journeys with a message to withdraw, found through {@code journeys_by_state}. */
    static final String CANCELLED_WITH_MESSAGES = "SELECT DISTINCT j.id, j.app_id FROM journeys j JOIN outbox o ON "
            + "o.app_id = j.app_id AND o.journey_id = j.id WHERE j.state = 'CANCELLED' AND o.state IN ('QUEUED', "
            + "'RETRYING', 'HELD') LIMIT " + BATCH;
    private static final Logger LOG = LoggerFactory.getLogger(JourneyStateSync.class);

    private final Jdbi jdbi;
    private final SqlParticipants participants;
    private final PlanCache plans;
    private final MoveBatch.Sinks sinks;
    private final dev.waymark.segments.SegmentMembers segments;
    /** The journeys' fingerprint when {@link #syncChanged} last applied every change; null when it did not. */
    private Fingerprint applied;
    private long appliedNanos;

    JourneyStateSync(Jdbi jdbi, SqlParticipants participants, PlanCache plans, MoveBatch.Sinks sinks,
                     dev.waymark.segments.SegmentMembers segments) {
        this.jdbi = jdbi;
        this.participants = participants;
        this.plans = plans;
        this.sinks = sinks;
        this.segments = segments;
    }

    /** Records the state applied and, the first time one is given, the pinned entry segment version. */
    static void pin(Handle handle, String appId, String journeyId, JourneyState state, Optional<Integer> version) {
        handle.createUpdate("INSERT INTO engine_journeys (journey_id, app_id, seen_state, segment_version) VALUES "
                        + "(:journey, :app, :state, :version) ON CONFLICT (journey_id) DO UPDATE SET seen_state = "
                        + "excluded.seen_state, segment_version = COALESCE(engine_journeys.segment_version, "
                        + "excluded.segment_version)")
                .bind("journey", journeyId).bind("app", appId).bind("state", state.name())
                .bind("version", version.orElse(null)).execute();
    }

    /**
     * Makes the engine answer for a journey it has not applied a state of yet (participants entered before the state
     * sync first saw it): without its row, a DeleteJourney meanwhile would leave its queued messages to be sent. The
     * row says DRAFT, so the sync still applies the journey's state as new.
     */
    static void known(Handle handle, String appId, String journeyId) {
        handle.createUpdate("INSERT INTO engine_journeys (journey_id, app_id, seen_state) VALUES (:journey, :app, "
                        + "'DRAFT') ON CONFLICT (journey_id) DO NOTHING")
                .bind("journey", journeyId).bind("app", appId).execute();
    }

    /**
     * Applies the changes not applied yet, when a journey may have changed since the last pass that applied every
     * change: the journeys' {@link Fingerprint} differs from that pass's, or {@link #FULL_PASS_EVERY} has gone by (a
     * change that committed late with an older modification time, or a journey created as another was deleted with
     * the same version, leaves the fingerprint as it was). The journeys whose participants changed.
     */
    List<String> syncChanged(Instant now) {
        Fingerprint current = fingerprint();
        if (current.equals(applied) && System.nanoTime() - appliedNanos < FULL_PASS_EVERY.toNanos()) {
            return List.of();
        }
        Pass pass = pass(now);
        applied = pass.complete() ? current : null;
        appliedNanos = System.nanoTime();
        return pass.touched();
    }

    /** Applies the changes not applied yet, looking at every journey; the journeys whose participants changed. */
    List<String> sync(Instant now) {
        return pass(now).touched();
    }

    /** What a journey's creation, change or deletion moves: how many there are, the newest change, their versions. */
    private record Fingerprint(long journeys, long newestChange, long versions) {}

    /** One pass: the journeys whose participants changed, and whether it applied every change it found. */
    private record Pass(List<String> touched, boolean complete) {}

    private Fingerprint fingerprint() {
        return jdbi.withHandle(handle -> handle.createQuery(FINGERPRINT)
                .map((rs, ctx) -> new Fingerprint(rs.getLong(1), rs.getLong(2), rs.getLong(3))).one());
    }

    private Pass pass(Instant now) {
        record Changed(String journeyId, String appId) {}
        boolean complete = true;
        List<Changed> changed = jdbi.withHandle(handle -> handle.createQuery("SELECT j.id, j.app_id FROM journeys j "
                        + "LEFT JOIN engine_journeys e ON e.journey_id = j.id WHERE e.journey_id IS NULL OR "
                        + "e.seen_state <> j.state LIMIT " + BATCH)
                .map((rs, ctx) -> new Changed(rs.getString(1), rs.getString(2))).list());
        List<String> touched = new ArrayList<>();
        for (Changed journey : changed) {
            try {
                if (jdbi.inTransaction(handle -> apply(handle, journey.journeyId(), now))) {
                    touched.add(journey.journeyId());
                }
            } catch (RuntimeException e) {
                complete = false;
                LOG.warn("Could not apply the state of journey {} to its participants (tried again shortly): {}",
                        journey.journeyId(), e.toString());
            }
        }
        List<Changed> deleted = jdbi.withHandle(handle -> handle.createQuery("SELECT e.journey_id, e.app_id FROM "
                        + "engine_journeys e LEFT JOIN journeys j ON j.id = e.journey_id WHERE j.id IS NULL LIMIT "
                        + BATCH)
                .map((rs, ctx) -> new Changed(rs.getString(1), rs.getString(2))).list());
        for (Changed journey : deleted) {
            int forgotten = jdbi.inTransaction(handle -> {
                sinks.outbox().withdraw(handle, journey.appId(), journey.journeyId());
                // Kept while a message is in a transport's hands: if its attempt fails for now, its retry is
                // withdrawn on a later pass rather than sent after the DeleteJourney.
                return handle.createUpdate("DELETE FROM engine_journeys WHERE journey_id = :journey AND NOT EXISTS ("
                                + "SELECT 1 FROM outbox WHERE app_id = :app AND journey_id = :journey AND state = "
                                + "'SENDING')")
                        .bind("journey", journey.journeyId()).bind("app", journey.appId()).execute();
            });
            // A journey kept for a message in a transport's hands needs the next pass too.
            complete &= forgotten > 0;
            plans.forget(journey.journeyId());
        }
        return new Pass(touched, complete && changed.size() < BATCH && deleted.size() < BATCH);
    }

    /**
     * Holds again the queued messages of every PAUSED journey: a message in a transport's hands when the journey
     * paused finishes its attempt, and when that attempt failed for now its retry must wait for the resume too.
     */
    void holdPaused() {
        // Only the PAUSED journeys that have a message to hold: a fixed LIMIT over every PAUSED journey (of all apps)
        // would look at the same ones each time and leave the rest unheld, and an empty hold would still open a write
        // transaction on every loop. Those held drop out, so each call gets further.
        List<List<String>> paused = jdbi.withHandle(handle -> handle.createQuery(PAUSED_WITH_MESSAGES)
                .map((rs, ctx) -> List.of(rs.getString(1), rs.getString(2))).list());
        if (!paused.isEmpty()) {
            jdbi.useTransaction(handle -> paused.forEach(journey -> sinks.outbox().hold(handle, journey.get(1),
                    journey.get(0))));
        }
    }

    /**
     * Withdraws again the waiting messages of every CANCELLED journey: a message in a transport's hands at the cancel
     * finishes its attempt, and when that attempt failed for now its retry must not be sent.
     */
    void withdrawCancelled() {
        List<List<String>> cancelled = jdbi.withHandle(handle -> handle.createQuery(CANCELLED_WITH_MESSAGES)
                .map((rs, ctx) -> List.of(rs.getString(1), rs.getString(2))).list());
        if (!cancelled.isEmpty()) {
            jdbi.useTransaction(handle -> cancelled.forEach(journey -> sinks.outbox().withdraw(handle, journey.get(1),
                    journey.get(0))));
        }
    }

    /** Applies one journey's state; whether participants changed. */
    private boolean apply(Handle handle, String journeyId, Instant now) {
        Optional<PlanCache.Journey> journey = plans.load(handle, journeyId);
        if (journey.isEmpty()) {
            return false;
        }
        String appId = journey.get().appId();
        JourneyState state = journey.get().state();
        JourneyState seen = handle.createQuery("SELECT seen_state FROM engine_journeys WHERE journey_id = :journey")
                .bind("journey", journeyId).mapTo(String.class).findOne().map(JourneyState::valueOf)
                .orElse(JourneyState.DRAFT);
        boolean changed = false;
        if (state == JourneyState.PAUSED && seen != JourneyState.PAUSED) {
            changed = participants.freeze(handle, journeyId, now) > 0;
            sinks.outbox().hold(handle, appId, journeyId);
        } else if (seen == JourneyState.PAUSED && state != JourneyState.PAUSED) {
            changed = participants.thaw(handle, journeyId, now) > 0;
            sinks.outbox().release(handle, appId, journeyId);
        }
        if (state == JourneyState.CANCELLED && seen != JourneyState.CANCELLED) {
            changed = cancel(handle, appId, journeyId, now) > 0;
        }
        Optional<Integer> version = Optional.empty();
        if (state == JourneyState.ACTIVE) {
            version = journey.get().plan().flatMap(JourneyPlan::segmentId)
                    .flatMap(segment -> segments.latestVersion(appId, segment));
        }
        pin(handle, appId, journeyId, state, version);
        return changed;
    }

    /** Every participant still in the journey leaves, counted CANCELLED; its waiting messages are withdrawn. */
    private int cancel(Handle handle, String appId, String journeyId, Instant now) {
        MoveBatch batch = new MoveBatch();
        for (SqlParticipants.RunCount count : participants.activeCounts(handle, journeyId)) {
            if (count.entered()) {
                batch.count(appId, journeyId, CounterDelta.run(count.runId(), MetricKeys.CANCELLED, count.count()));
                batch.count(appId, journeyId, CounterDelta.run(count.runId(), MetricKeys.ENDPOINT_ACTIVE,
                        -count.count()));
            }
        }
        int finished = participants.finishAll(handle, journeyId, now);
        sinks.outbox().withdraw(handle, appId, journeyId);
        batch.write(handle, sinks, now);
        return finished;
    }
}
