package dev.waymark.runs;


/** Receives the runs of a page one by one as the store reads them, so that no object is built per run. */
@FunctionalInterface
public interface RunRows {
    void run(String runId, RunStatus status, long createdMillis, long updatedMillis);
}
