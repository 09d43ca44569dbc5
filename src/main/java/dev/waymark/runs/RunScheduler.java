package dev.waymark.runs;

import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.logging.LogLevel;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import dev.waymark.journeys.RunTrigger;
import dev.waymark.ops.Metrics;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives journey runs with db-scheduler, whose table lives in the same database. Each journey with work ahead has
 * one execution of the task {@value #JOURNEY_TASK}, due when the planner next needs to look at it; db-scheduler
 * runs it on exactly one node. A recurring sweep compares the wake-up times the store recorded with the executions
 * that exist, and repairs the rare gap where a change landed while the journey's execution was running.
 */
public final class RunScheduler implements RunTrigger, AutoCloseable {
    static final String JOURNEY_TASK = "journey-runs";
    static final String SWEEP_TASK = "journey-runs-sweep";
    private static final int SWEEP_BATCH = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(RunScheduler.class);

    private final RunLifecycle lifecycle;
    private final RunStore runs;
    private final Clock clock;
    private final SchedulerSettings settings;
    private final Metrics metrics;
    private final CustomTask<Void> journeyTask;
    private final RecurringTask<Void> sweepTask;
    /**
     * Parked journeys on every node, as last counted: when this node parks one, and on every sweep (so a change that
     * unparks one shows within a sweep interval). /health and /metrics read it, so neither waits on the store (a store
     * that does not answer would hold them up), and no write pays for a count.
     */
    private final AtomicInteger parked = new AtomicInteger();
    private volatile Scheduler scheduler;

    public RunScheduler(RunLifecycle lifecycle, RunStore runs, Clock clock, SchedulerSettings settings,
                        Metrics metrics) {
        this.lifecycle = lifecycle;
        this.runs = runs;
        this.clock = clock;
        this.settings = settings;
        this.metrics = metrics;
        this.journeyTask = Tasks.custom(JOURNEY_TASK, Void.class)
                .onFailure(this::planningFailed)
                .onDeadExecutionRevive()
                .execute((instance, context) -> advance(instance.getId()));
        this.sweepTask = Tasks.recurring(SWEEP_TASK, Schedules.fixedDelay(settings.sweepInterval()))
                .execute((instance, context) -> sweep());
        metrics.parkedJourneys(parked::get);
    }

    /** A db-scheduler for these tasks on {@code dataSource}, with Waymark's clock and settings. */
    public Scheduler buildScheduler(DataSource dataSource, SchedulerSettings settings, boolean skipLocked) {
        SchedulerBuilder builder = Scheduler.create(dataSource, List.of(journeyTask));
        if (skipLocked) {
            // Several nodes poll one table: each claims due executions with FOR UPDATE SKIP LOCKED.
            builder.pollUsingLockAndFetch(0.5, 1.0);
        }
        return builder
                .startTasks(List.of(sweepTask))
                .clock(clock::instant)
                .pollingInterval(settings.pollingInterval())
                .heartbeatInterval(settings.heartbeat())
                .missedHeartbeatsLimit(settings.missedHeartbeats())
                .threads(settings.threads())
                .schedulerName(new SchedulerName.Fixed(nodeName()))
                .enableImmediateExecution()
                .alwaysPersistTimestampInUTC()
                .shutdownMaxWait(Duration.ofSeconds(10))
                // planningFailed logs each failure once, in fewer words than a stack trace a second.
                .failureLogging(LogLevel.DEBUG, false)
                .build();
    }

    /** The one-time task to register with a scheduler; a test may build its own (manual) scheduler from it. */
    public Task<Void> journeyTask() {
        return journeyTask;
    }

    /** The recurring sweep, to pass to the scheduler's start tasks. */
    public RecurringTask<Void> sweepTask() {
        return sweepTask;
    }

    /** Starts the given scheduler (built with both tasks); due work, overdue work included, starts at once. */
    public void start(Scheduler started) {
        this.scheduler = started;
        started.start();
    }

    /**
     * Plans the journey's runs now, so that a client sees the effect of its change at once, and makes sure the
     * planner looks again when due. The change itself is already committed with its wake-up time: a failure here
     * is logged and the sweep catches up.
     */
    @Override
    public void journeyChanged(String journeyId) {
        try {
            Optional<RunPlan> plan = lifecycle.advance(journeyId);
            Optional<Instant> next = plan.flatMap(RunPlan::nextWake);
            if (next.isPresent()) {
                ensureWake(journeyId, next.get());
            } else {
                cancel(journeyId);
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not plan the runs of journey {} now; the scheduler's sweep will", journeyId, e);
        }
    }

    @Override
    public void journeyDeleted(String journeyId) {
        cancel(journeyId);
    }

    /** Removes the journey's execution when nothing more is owed (cancelled, paused, closed, deleted). */
    private void cancel(String journeyId) {
        try {
            scheduler.cancel(TaskInstanceId.of(JOURNEY_TASK, journeyId));
        } catch (RuntimeException e) {
            // No execution, or it is running right now; a running one finds no journey and removes itself.
            LOG.debug("no execution to cancel for journey {}: {}", journeyId, e.getMessage());
        }
    }

    private CompletionHandler<Void> advance(String journeyId) {
        Optional<Instant> next = lifecycle.advance(journeyId).flatMap(RunPlan::nextWake);
        return (complete, operations) -> {
            if (next.isPresent()) {
                operations.reschedule(complete, next.get());
            } else {
                operations.remove();
            }
        };
    }

    /**
     * Planning a journey failed (its execution threw): try again later, doubling the delay each time. After too many
     * failures in a row for a reason of the journey's own, park it; a failing store (a pool timeout, a lost
     * connection, a fail-over) is never the journey's fault, so those are tried again at the longest delay for as
     * long as the store fails. The count is db-scheduler's, kept with the execution, so it goes on whichever node
     * tries next.
     */
    private void planningFailed(ExecutionComplete complete, ExecutionOperations<Void> operations) {
        String journeyId = complete.getExecution().taskInstance.getId();
        int failures = complete.getExecution().consecutiveFailures + 1;
        String cause = complete.getCause().map(Throwable::toString).orElse("unknown");
        metrics.planningFailed();
        boolean storeFailed = complete.getCause().map(RunScheduler::isStoreFailure).orElse(false);
        if (failures >= settings.parkAfterFailures() && !storeFailed && park(journeyId, failures, cause)) {
            operations.remove();
            return;
        }
        Duration delay = settings.retryDelay(failures);
        if (failures == 1) {
            LOG.warn("Could not plan the runs of journey {}; trying again in {}", journeyId, delay,
                    complete.getCause().orElse(null));
        } else {
            LOG.warn("Could not plan the runs of journey {} ({} failures in a row, {}); trying again in {}",
                    journeyId, failures, cause, delay);
        }
        operations.reschedule(complete, complete.getTimeDone().plus(delay));
    }

    private boolean park(String journeyId, int failures, String cause) {
        try {
            runs.park(journeyId, clock.instant());
        } catch (RuntimeException e) {
            LOG.warn("Could not park journey {}: {}", journeyId, e.toString());
            return false;
        }
        LOG.error("Parked journey {}: planning its runs failed {} times in a row, last with {}. No node tries it "
                + "again until an UpdateJourney or UpdateJourneyState changes it", journeyId, failures, cause);
        countParked();
        return true;
    }

    /** Whether the store failed (rather than the journey's own definition or planning): never a reason to park. */
    static boolean isStoreFailure(Throwable cause) {
        for (Throwable at = cause; at != null; at = at.getCause()) {
            if (at instanceof JdbiException || at instanceof SQLException) {
                return true;
            }
        }
        return false;
    }

    /** How many journeys are parked, on every node, as last counted (for /health and /metrics). */
    public int parkedCount() {
        return parked.get();
    }

    private void countParked() {
        try {
            parked.set(runs.parkedCount());
        } catch (RuntimeException e) {
            LOG.debug("could not count parked journeys: {}", e.toString());
        }
    }

    /** Makes sure the journey's execution exists and is due no later than {@code at}. */
    void ensureWake(String journeyId, Instant at) {
        TaskInstanceId id = TaskInstanceId.of(JOURNEY_TASK, journeyId);
        try {
            Optional<ScheduledExecution<Object>> existing = scheduler.getScheduledExecution(id);
            if (existing.isEmpty()) {
                scheduler.scheduleIfNotExists(journeyTask.instance(journeyId), at);
            } else if (!existing.get().isPicked() && existing.get().getExecutionTime().isAfter(at)) {
                scheduler.reschedule(id, at);
            }
        } catch (RuntimeException e) {
            // Lost a race with the execution itself (it got picked meanwhile); the sweep looks again.
            LOG.debug("could not bring journey {} forward to {}: {}", journeyId, at, e.getMessage());
        }
    }

    void sweep() {
        countParked();
        for (Wake wake : runs.due(clock.instant(), SWEEP_BATCH)) {
            ensureWake(wake.journeyId(), wake.at());
        }
    }

    /** Whether the scheduler is started and not stopping (for /health). */
    public boolean isRunning() {
        Scheduler current = scheduler;
        return current != null && current.getSchedulerState().isStarted()
                && !current.getSchedulerState().isShuttingDown();
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.stop();
        }
    }

    private static String nodeName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        return host + "/" + ManagementFactory.getRuntimeMXBean().getPid();
    }
}
