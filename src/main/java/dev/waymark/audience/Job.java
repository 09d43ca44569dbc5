package dev.waymark.audience;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.wire.Json;
import dev.waymark.wire.WireTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An import or export job as stored: what it was asked (the Definition), where it is (the piece and the records of it
 * done) and what it counted.
 */
record Job(String id, String appId, Kind kind, Optional<String> segmentId, ObjectNode definition, String status,
           Instant created, Optional<Instant> completed, int totalPieces, int completedPieces, int failedPieces,
           long totalProcessed, long totalFailures, List<String> failures, Optional<List<String>> pieces,
           int pieceIndex, long pieceRecords) {

    /** The two kinds of job, as the {@code Type} member names them. */
    enum Kind { IMPORT, EXPORT }

    /** Pinpoint keeps the first 100 failures. */
    static final int MAX_FAILURES = 100;
    /** A failure's text is cut here: a reason quotes at most a short part of the input. */
    static final int MAX_FAILURE_CHARS = 1000;

    boolean finished() {
        return completed.isPresent();
    }

    /** ImportJobResponse or ExportJobResponse. */
    ObjectNode response() {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("ApplicationId", appId);
        json.put("CompletedPieces", completedPieces);
        completed.ifPresent(at -> json.put("CompletionDate", WireTime.format(at)));
        json.put("CreationDate", WireTime.format(created));
        json.set("Definition", definition.deepCopy());
        json.put("FailedPieces", failedPieces);
        if (!failures.isEmpty()) {
            ArrayNode list = json.putArray("Failures");
            failures.forEach(list::add);
        }
        json.put("Id", id);
        json.put("JobStatus", status);
        json.put("TotalFailures", saturated(totalFailures));
        json.put("TotalPieces", totalPieces);
        json.put("TotalProcessed", saturated(totalProcessed));
        json.put("Type", kind.name());
        return json;
    }

    /** The wire members are 32-bit integers. */
    private static int saturated(long count) {
        return (int) Math.min(count, Integer.MAX_VALUE);
    }
}
