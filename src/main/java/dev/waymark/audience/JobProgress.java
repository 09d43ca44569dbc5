package dev.waymark.audience;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What a worker changes on a job as it goes, turned back into a {@link Job} each time it is saved. */
final class JobProgress {
    private final Job start;
    String status;
    Optional<Instant> completed;
    int totalPieces;
    int completedPieces;
    int failedPieces;
    long totalProcessed;
    long totalFailures;
    final List<String> failures;
    Optional<List<String>> pieces;
    int pieceIndex;
    long pieceRecords;

    JobProgress(Job job) {
        this.start = job;
        this.status = job.status();
        this.completed = job.completed();
        this.totalPieces = job.totalPieces();
        this.completedPieces = job.completedPieces();
        this.failedPieces = job.failedPieces();
        this.totalProcessed = job.totalProcessed();
        this.totalFailures = job.totalFailures();
        this.failures = new ArrayList<>(job.failures());
        this.pieces = job.pieces();
        this.pieceIndex = job.pieceIndex();
        this.pieceRecords = job.pieceRecords();
    }

    Job job() {
        return start;
    }

    /** Counts a failure and keeps its text while fewer than {@link Job#MAX_FAILURES} are kept. */
    void fail(String failure) {
        totalFailures++;
        note(failure);
    }

    /** Keeps a failure's text (a piece that failed, not a record) while there is room. */
    void note(String failure) {
        if (failures.size() < Job.MAX_FAILURES) {
            failures.add(failure.length() > Job.MAX_FAILURE_CHARS
                    ? failure.substring(0, Job.MAX_FAILURE_CHARS) + "…" : failure);
        }
    }

    /** Ends the job: FAILED when a piece failed (as Pinpoint says), else COMPLETED. */
    void finish(Instant now) {
        status = failedPieces > 0 ? "FAILED" : "COMPLETED";
        completed = Optional.of(now);
    }

    Job snapshot() {
        return new Job(start.id(), start.appId(), start.kind(), start.segmentId(), start.definition(), status,
                start.created(), completed, totalPieces, completedPieces, failedPieces, totalProcessed, totalFailures,
                List.copyOf(failures), pieces, pieceIndex, pieceRecords);
    }
}
