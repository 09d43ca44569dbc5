package dev.waymark.audience;

import dev.waymark.wire.Ids;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs import and export jobs on this node, one at a time, on a thread of its own. Any node may take any unfinished
 * job whose lease has run out; the lease is extended with every chunk saved, so a job whose node died is taken over
 * once its lease ends ({@link JobSettings#lease()}).
 */
final class JobRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    /** A job that stops on an unexpected error this many times in a row on a node is ended as FAILED. */
    static final int MAX_ATTEMPTS = 5;

    private final SqlJobStore jobs;
    private final ImportWork imports;
    private final ExportWork exports;
    private final JobSettings settings;
    private final Clock clock;
    private final String owner = "node-" + Ids.newId();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Map<String, Integer> attempts = new HashMap<>();
    /** Polls that failed in a row (the store unreachable), and when the next may run: only the worker thread. */
    private int failedPolls;
    private long nextPollNanos = System.nanoTime();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "waymark-jobs");
        thread.setDaemon(true);
        return thread;
    });

    JobRunner(SqlJobStore jobs, ImportWork imports, ExportWork exports, JobSettings settings, Clock clock) {
        this.jobs = jobs;
        this.imports = imports;
        this.exports = exports;
        this.settings = settings;
        this.clock = clock;
    }

    void start() {
        executor.scheduleWithFixedDelay(this::poll, 0, settings.poll().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Looks for work now (a job was just created on this node) rather than at the next poll. */
    void wake() {
        try {
            executor.execute(this::poll);
        } catch (RejectedExecutionException e) {
            // Stopping: the job waits for the next node or start.
        }
    }

    private void poll() {
        if (System.nanoTime() - nextPollNanos < 0) {
            return;
        }
        try {
            while (!stopping.get()) {
                long now = clock.millis();
                Optional<Job> job = jobs.claim(owner, now, now + settings.lease().toMillis());
                failedPolls = 0;
                if (job.isEmpty()) {
                    return;
                }
                work(job.get());
            }
        } catch (RuntimeException e) {
            // A store that is down is asked again after 2, 4, 8 ... polls, up to a minute, not every poll.
            failedPolls++;
            long delay = Math.min(60_000, settings.poll().toMillis() << Math.min(failedPolls, 16));
            nextPollNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
            LOG.warn("Looking for import and export jobs failed ({} in a row); trying again in {} ms: {}", failedPolls,
                    delay, e.toString());
        }
    }

    private void work(Job job) {
        JobLease lease = new JobLease(owner, settings.lease(), clock, stopping::get);
        try {
            if (job.kind() == Job.Kind.IMPORT) {
                imports.run(job, lease);
            } else {
                exports.run(job, lease);
            }
            attempts.remove(job.id());
        } catch (JobLease.Lost e) {
            LOG.info("{}; this node stops working on it", e.getMessage());
        } catch (JobLease.Stopped e) {
            jobs.release(job.id(), owner);
        } catch (RuntimeException e) {
            int attempt = attempts.merge(job.id(), 1, Integer::sum);
            LOG.warn("{} job {} of app {} stopped (attempt {} of {}): {}", job.kind(), job.id(), job.appId(), attempt,
                    MAX_ATTEMPTS, e.toString(), e);
            if (attempt >= MAX_ATTEMPTS) {
                giveUp(job, e);
            } else {
                jobs.release(job.id(), owner);
            }
        }
    }

    /** Ends a job that fails the same way again and again, so that it does not hold the node forever. */
    private void giveUp(Job job, RuntimeException e) {
        attempts.remove(job.id());
        try {
            jobs.jdbi().useTransaction(handle -> {
                Job current = jobs.find(job.appId(), job.kind(), job.id()).orElse(job);
                JobProgress progress = new JobProgress(current);
                progress.failedPieces = Math.max(1, progress.totalPieces - progress.completedPieces);
                progress.note("the job stopped on an internal error " + MAX_ATTEMPTS + " times; see the server log");
                progress.finish(clock.instant());
                jobs.save(handle, progress.snapshot(), owner, clock.millis());
            });
        } catch (RuntimeException failed) {
            LOG.warn("Job {} could not be ended as FAILED: {}", job.id(), failed.toString());
        }
    }

    @Override
    public void close() {
        stopping.set(true);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
