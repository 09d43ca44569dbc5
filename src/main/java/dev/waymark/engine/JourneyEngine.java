package dev.waymark.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.apps.AppStore;
import dev.waymark.audience.EndpointStore;
import dev.waymark.audience.EventLog;
import dev.waymark.audience.EventTap;
import dev.waymark.journeys.JourneyState;
import dev.waymark.journeys.RunTrigger;
import dev.waymark.messaging.JourneyMessages;
import dev.waymark.ops.BackgroundPacing;
import dev.waymark.runs.RunProgress;
import dev.waymark.segments.SegmentMembers;
import dev.waymark.store.sql.Dialect;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journey engine (engine.md): its workers move due participants in batches, one transaction per batch of moves;
 * an entry thread enters the endpoints of RUNNING runs page by page and applies journey state changes; event-started
 * journeys admit through {@link #admission()} inside PutEvents' transaction. Every node runs one; they share the work
 * through the database (SKIP LOCKED on PostgreSQL).
 */
public final class JourneyEngine implements RunProgress, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JourneyEngine.class);
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);
    /** Counting participants by phase reads every active row: often enough for a dashboard, not on every loop. */
    private static final Duration COUNT_EVERY = Duration.ofSeconds(15);
    private static final int PRUNE_BATCH = 1_000;
    /** The longest a worker waits after failures in a row before it tries again. */
    private static final Duration LONGEST_BACK_OFF = Duration.ofSeconds(30);
    /**
     * How often the entry thread looks for journey state changes and for messages to hold or withdraw again: each
     * look reads every journey (6 ms with 10,000 of them on SQLite), too much to repeat at every poll for changes
     * that the README promises within a second.
     */
    private static final long STATE_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** Journeys still admitting whose finished participants are looked at per statement. */
    private static final int PRUNE_JOURNEYS = 500;

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final EngineSettings settings;
    private final EndpointStore endpoints;
    private final AppStore apps;
    private final RunTrigger trigger;
    private final Clock clock;
    private final SqlParticipants participants;
    private final PlanCache plans;
    private final ParticipantSteps steps;
    private final SqlRunEntries entries;
    private final JourneyStateSync states;
    private final SqlMessageLedger ledger = new SqlMessageLedger();
    private final MoveBatch.Sinks sinks;
    private final EventAdmission admission;
    private final Semaphore due = new Semaphore(0);
    private final List<Thread> threads = new ArrayList<>();
    private final Map<String, Long> participantsByPhase = new ConcurrentHashMap<>();
    private volatile double stepLagSeconds;
    private volatile boolean running;
    private Instant lastPrune = Instant.EPOCH;
    private Instant lastCount = Instant.EPOCH;
    private Counter moves;
    private Counter failedMoves;
    private BackgroundPacing pacing = BackgroundPacing.NONE;
    /** When (System.nanoTime) the entry thread last applied journey states; only that thread reads and writes it. */
    private long statesAppliedNanos = System.nanoTime() - STATE_EVERY_NANOS;

    /**
     * Everything the engine reads and writes through: messages, segments, the event log, endpoints, app settings,
     * and where a move's effects go (counters, outbox, event records).
     */
    public record Parts(JourneyMessages messages, SegmentMembers segments, EventLog events,
                        EndpointStore endpoints, AppStore apps, dev.waymark.analytics.JourneyCounters counters,
                        dev.waymark.messaging.Outbox outbox, dev.waymark.audience.EventAppender appender) {}

    public JourneyEngine(Jdbi jdbi, Dialect dialect, EngineSettings settings, Parts parts, RunTrigger trigger,
                         Clock clock) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.settings = settings;
        this.endpoints = parts.endpoints();
        this.apps = parts.apps();
        this.trigger = trigger;
        this.clock = clock;
        this.sinks = new MoveBatch.Sinks(parts.counters(), parts.outbox(), parts.appender());
        this.participants = new SqlParticipants(dialect);
        this.plans = new PlanCache(dialect);
        this.steps = new ParticipantSteps(parts.messages(), parts.segments(), parts.events(), ledger);
        this.entries = new SqlRunEntries(jdbi, dialect, parts.segments(), participants, plans, sinks,
                endpoints::key, steps, apps);
        this.states = new JourneyStateSync(jdbi, participants, plans, sinks, parts.segments());
        this.admission = new EventAdmission(plans, participants, parts.segments(), sinks, clock, due::release);
    }

    /** What admits endpoints into event-started journeys: tap it into the event log. */
    public EventTap admission() {
        return admission;
    }

    /** Reports the engine's figures into {@code registry} (/metrics). */
    public JourneyEngine monitoredBy(MeterRegistry registry) {
        moves = Counter.builder("waymark.engine.moves").description("Participant moves committed")
                .register(registry);
        failedMoves = Counter.builder("waymark.engine.moves.failed")
                .description("Participant moves that failed and were tried again later").register(registry);
        for (Participant.Phase phase : Participant.Phase.values()) {
            if (phase != Participant.Phase.FINISHED) {
                Gauge.builder("waymark.engine.participants", () -> participantsByPhase.getOrDefault(phase.name(), 0L))
                        .description("Participants in journeys, by phase, as last counted")
                        .tag("phase", phase.name()).strongReference(true).register(registry);
            }
        }
        Gauge.builder("waymark.engine.step.lag", () -> stepLagSeconds)
                .description("Seconds the most overdue participant has been due, as last measured")
                .baseUnit("seconds").strongReference(true).register(registry);
        return this;
    }

    /** Gives way to requests as {@code newPacing} says; call before {@link #start()}. */
    public JourneyEngine pacedBy(BackgroundPacing newPacing) {
        this.pacing = newPacing;
        return this;
    }

    public void start() {
        running = true;
        if (settings.workers() == 0) {
            return;
        }
        int workers = dialect.skipLockedPolling() ? settings.workers() : 1;
        for (int i = 0; i < workers; i++) {
            threads.add(daemon("engine-steps-" + i, this::stepLoop));
        }
        threads.add(daemon("engine-entry", this::entryLoop));
    }

    private static Thread daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * Does now, on the calling thread, everything due at the clock's time: journey states applied, entries made, due
     * participants moved (each loop bounded). For tests that drive a manual clock; safe beside the workers.
     */
    public void settle() {
        applyStates(states.sync(clock.instant()));
        entryWork(clock.instant(), 10_000, BackgroundPacing.NONE);
        for (int batch = 0; batch < 10_000 && stepBatch() > 0; batch++) {
            Thread.onSpinWait();
        }
    }

    /** New runs taken up and up to {@code maxPages} pages of entries made; whether any page was. */
    private boolean entryWork(Instant now, int maxPages, BackgroundPacing pages) {
        entries.discover(now);
        boolean worked = false;
        for (int page = 0; page < maxPages && (running || settings.workers() == 0); page++) {
            long started = System.nanoTime();
            SqlRunEntries.Progress progress = entries.enterPage(clock.instant());
            progress.finishedJourney().ifPresent(trigger::journeyChanged);
            if (!progress.worked()) {
                break;
            }
            if (moves != null) {
                moves.increment(progress.moves());
            }
            worked = true;
            due.release();
            rest(pages, System.nanoTime() - started);
        }
        return worked;
    }

    /**
     * Journey states applied (pause, resume, cancel, delete) and their journeys' planners told ({@code touched}), and
     * held and withdrawn messages kept so.
     */
    private void applyStates(List<String> touched) {
        for (String journeyId : touched) {
            trigger.journeyChanged(journeyId);
        }
        states.holdPaused();
        states.withdrawCancelled();
    }

    /** Tells the workers that participants may be due now (an admission, a test's clock). */
    public void wake() {
        due.release();
    }

    private void stepLoop() {
        int failures = 0;
        while (running) {
            int moved;
            try {
                long started = System.nanoTime();
                moved = stepBatch();
                failures = 0;
                if (moved > 0) {
                    rest(pacing, System.nanoTime() - started);
                }
            } catch (RuntimeException e) {
                failures++;
                LOG.warn("A batch of journey moves failed ({} in a row); it is tried again in {}: {}", failures,
                        backOff(failures), e.toString());
                moved = 0;
            }
            if (moved < settings.batch()) {
                pause(backOff(failures));
            }
        }
    }

    /**
     * How long a loop waits before its next try: the poll interval, doubled for each failure in a row up to
     * {@link #LONGEST_BACK_OFF}, so that a store that is down is not asked (and the log not written) four times a
     * second for as long as it is down.
     */
    private Duration backOff(int failures) {
        Duration wait = settings.poll();
        for (int i = 0; i < failures && wait.compareTo(LONGEST_BACK_OFF) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(LONGEST_BACK_OFF) < 0 ? wait : LONGEST_BACK_OFF;
    }

    private void entryLoop() {
        int failures = 0;
        while (running) {
            boolean worked = false;
            try {
                if (System.nanoTime() - statesAppliedNanos >= STATE_EVERY_NANOS) {
                    applyStates(states.syncChanged(clock.instant()));
                    statesAppliedNanos = System.nanoTime();
                }
                Instant now = clock.instant();
                worked = entryWork(now, 50, pacing);
                housekeeping(now);
                failures = 0;
            } catch (RuntimeException e) {
                failures++;
                LOG.warn("The engine's entry and state work failed ({} in a row); it is tried again in {}: {}",
                        failures, backOff(failures), e.toString());
            }
            if (!worked) {
                sleep(backOff(failures));
            }
        }
    }

    /** Moves one batch of due participants in one transaction; how many were claimed. */
    int stepBatch() {
        Instant now = clock.instant();
        Set<String> emptied = new LinkedHashSet<>();
        MoveBatch done = new MoveBatch();
        if (!jdbi.withHandle(handle -> participants.anyDue(handle, now))) {
            return 0;
        }
        int claimed = jdbi.inTransaction(handle -> {
            List<Participant> claimedRows = participants.claimDue(handle, now, settings.batch());
            if (claimedRows.isEmpty()) {
                return 0;
            }
            Map<String, PlanCache.Journey> journeys = plans.load(handle,
                    claimedRows.stream().map(Participant::journeyId).distinct().toList());
            // Every endpoint of the batch in one read per app, on the batch's own transaction.
            Map<String, Map<String, ObjectNode>> endpointsByApp = new HashMap<>();
            claimedRows.stream().collect(java.util.stream.Collectors.groupingBy(Participant::appId,
                            java.util.stream.Collectors.mapping(Participant::endpointKey,
                                    java.util.stream.Collectors.toSet())))
                    .forEach((app, keys) -> endpointsByApp.put(app, endpoints.findByKeys(handle, app, keys)));
            Map<String, AppDefaults> defaults = new HashMap<>();
            ParticipantSteps.Criteria criteria = new ParticipantSteps.Criteria(done);
            List<Participant> moved = new ArrayList<>();
            for (Participant p : claimedRows) {
                PlanCache.Journey journey = journeys.get(p.journeyId());
                if (journey == null || journey.state() == JourneyState.PAUSED
                        || journey.state() == JourneyState.CANCELLED) {
                    // PAUSED or CANCELLED since the claim read it: left as it is for the state sync, which alone
                    // freezes, so that a resume it has not seen yet cannot leave the participant frozen for ever;
                    // the next claims pass it by.
                    continue;
                }
                if (journey.plan().isEmpty()) {
                    moved.add(p.retryAt(now.plus(Duration.ofMinutes(1))));
                    continue;
                }
                MoveBatch own = new MoveBatch();
                try {
                    Optional<ObjectNode> endpoint = Optional.ofNullable(
                            endpointsByApp.getOrDefault(p.appId(), Map.of()).get(p.endpointKey()));
                    AppDefaults app = defaults.computeIfAbsent(p.appId(),
                            id -> apps.settings(id).map(AppDefaults::of).orElse(AppDefaults.NONE));
                    Participant after = steps.step(handle, p, journey.plan().get(), endpoint, app, now, own, criteria);
                    moved.add(after);
                    done.absorb(own);
                    if (after.finishedAt().isPresent() && journey.state() == JourneyState.CLOSED) {
                        emptied.add(p.journeyId());
                    }
                } catch (RuntimeException e) {
                    LOG.warn("Move failed: journey {}, endpoint {}, activity {}: {}; tried again in a minute",
                            p.journeyId(), p.endpointId(), p.activityId().orElse("(entry)"), e.toString());
                    if (failedMoves != null) {
                        failedMoves.increment();
                    }
                    moved.add(p.retryAt(now.plus(Duration.ofMinutes(1))));
                }
            }
            participants.save(handle, moved);
            done.write(handle, sinks, now);
            return claimedRows.size();
        });
        if (moves != null) {
            moves.increment(done.moves());
        }
        emptied.forEach(trigger::journeyChanged);
        return claimed;
    }

    private void housekeeping(Instant now) {
        boolean count = Duration.between(lastCount, now).compareTo(COUNT_EVERY) >= 0;
        jdbi.useHandle(handle -> {
            stepLagSeconds = participants.earliestDue(handle).filter(now::isAfter)
                    .map(at -> Duration.between(at, now).toMillis() / 1000.0).orElse(0.0);
            if (count) {
                Map<String, Long> counted = participants.countByPhase(handle);
                for (Participant.Phase phase : Participant.Phase.values()) {
                    participantsByPhase.put(phase.name(), counted.getOrDefault(phase.name(), 0L));
                }
            }
        });
        if (count) {
            lastCount = now;
        }
        if (Duration.between(lastPrune, now).compareTo(PRUNE_EVERY) < 0) {
            return;
        }
        lastPrune = now;
        Instant cutoff = now.minus(settings.retention());
        while (running && jdbi.inTransaction(handle -> participants.pruneNotAdmitting(handle, cutoff, PRUNE_BATCH))
                == PRUNE_BATCH) {
            Thread.onSpinWait();
        }
        // Journeys still admitting, a page of ids at a time: one statement cannot bind them all (65,535 parameters
        // on PostgreSQL), however many journeys all the apps have.
        String after = "";
        while (running) {
            String from = after;
            List<String> page = jdbi.withHandle(handle -> handle.createQuery("SELECT id FROM journeys WHERE state IN "
                            + "('ACTIVE', 'PAUSED') AND id > :after ORDER BY id LIMIT " + PRUNE_JOURNEYS)
                    .bind("after", from).mapTo(String.class).list());
            if (page.isEmpty()) {
                break;
            }
            after = page.get(page.size() - 1);
            // Their entry ledger matters when a reentry limit or TotalCap reads it, or when the plan cannot be read.
            List<String> prunable = jdbi.withHandle(handle -> plans.load(handle, page)).values().stream()
                    .filter(journey -> journey.plan().map(plan -> plan.limits().endpointReentryCap().isEmpty()
                            && plan.limits().endpointReentryInterval().isEmpty()
                            && plan.limits().totalCap().isEmpty()).orElse(false))
                    .map(PlanCache.Journey::journeyId).toList();
            while (running && !prunable.isEmpty() && jdbi.inTransaction(handle -> participants.pruneOf(handle,
                    cutoff, prunable, PRUNE_BATCH)) == PRUNE_BATCH) {
                Thread.onSpinWait();
            }
            if (page.size() < PRUNE_JOURNEYS) {
                break;
            }
        }
        while (running && jdbi.inTransaction(handle -> ledger.prune(handle, now, PRUNE_BATCH)) == PRUNE_BATCH) {
            Thread.onSpinWait();
        }
    }

    /**
     * DeleteEndpoint and DeleteUserEndpoints, inside their transaction: the endpoints leave every journey they are in
     * (counted ENDPOINT_LEFT).
     */
    public void endpointsDeleted(Handle handle, String appId, List<String> keys) {
        List<Participant> leaving = participants.ofEndpoints(handle, appId, keys);
        if (leaving.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        MoveBatch batch = new MoveBatch();
        List<Participant> finished = new ArrayList<>();
        for (Participant p : leaving) {
            if (p.phase() != Participant.Phase.ENTERING) {
                batch.countRun(p, dev.waymark.analytics.MetricKeys.ENDPOINT_LEFT, 1);
                batch.countRun(p, dev.waymark.analytics.MetricKeys.ENDPOINT_ACTIVE, -1);
            }
            finished.add(p.finished(now));
        }
        participants.save(handle, finished);
        batch.write(handle, sinks, now);
    }

    @Override
    public Set<String> unfinishedEntries(Handle handle, String journeyId) {
        return SqlRunEntries.unfinished(handle, journeyId);
    }

    @Override
    public boolean hasParticipants(Handle handle, String journeyId) {
        return participants.hasActive(handle, journeyId);
    }

    private void pause(Duration wait) {
        try {
            due.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
            due.drainPermits();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Gives way to requests after {@code workedNanos} of work, as {@code pacing} says. */
    private void rest(BackgroundPacing by, long workedNanos) {
        try {
            by.after(workedNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        due.release(threads.size());
        for (Thread thread : threads) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
