package dev.waymark.runs;


/** Receives the runs of a page one by one as the store reads them, so that no object is built per run. */
@FunctionalInterface
public interface RunRows {
    void run(String runId, RunStatus status, long createdMillis, long updatedMillis);

    /**
     * The same with the run id as the store's UTF-8 bytes, which SQLite hands over without building a String; a
     * receiver that writes bytes (the JSON encoder) overrides it.
     */
    default void runUtf8(byte[] runId, RunStatus status, long createdMillis, long updatedMillis) {
        run(new String(runId, java.nio.charset.StandardCharsets.UTF_8), status, createdMillis, updatedMillis);
    }
}
