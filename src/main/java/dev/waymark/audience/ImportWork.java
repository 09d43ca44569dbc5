package dev.waymark.audience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.rules.RuleViolation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Runs one import job on the node that holds its lease, a chunk of records at a time. Each chunk's endpoints, its
 * segment members and the job's cursor and counters commit in one transaction, so a job taken over after a crash goes
 * on from the last chunk that committed: no record is imported twice and none is lost. A resumed piece is read again
 * from its start and the records already done are skipped.
 */
final class ImportWork {
    /** Records applied in one transaction. */
    static final int CHUNK = 1000;
    /** Records one job reads at most, over all its pieces. */
    static final long MAX_RECORDS = 50_000_000L;

    private final SqlJobStore jobs;
    private final EndpointRecords records;
    private final JobStorage storage;
    private final JobSettings settings;
    private final Clock clock;
    private final SegmentCatalog segments;

    ImportWork(SqlJobStore jobs, EndpointRecords records, JobStorage storage, JobSettings settings, Clock clock,
               SegmentCatalog segments) {
        this.segments = segments;
        this.jobs = jobs;
        this.records = records;
        this.storage = storage;
        this.settings = settings;
        this.clock = clock;
    }

    void run(Job job, JobLease lease) {
        JobProgress progress = new JobProgress(job);
        ObjectNode definition = job.definition();
        String format = definition.path("Format").asText();
        JobLocation location;
        try {
            location = JobLocation.parse("S3Url", definition.path("S3Url").asText(), settings.importDir(),
                    "--import-dir", true);
        } catch (RuleViolation e) {
            // The server's settings changed since the job was accepted.
            failWhole(progress, e.getMessage(), lease);
            return;
        }
        if (progress.pieces.isEmpty()) {
            progress.status = "INITIALIZING";
            save(progress, lease);
            List<String> pieces;
            try {
                pieces = storage.pieces(location, format);
            } catch (IOException | SdkException | UncheckedIOException e) {
                failWhole(progress, "S3Url cannot be read: " + reason(e), lease);
                return;
            }
            if (pieces.isEmpty()) {
                failWhole(progress, "S3Url: there is no " + format + " file at " + definition.path("S3Url").asText(),
                        lease);
                return;
            }
            progress.pieces = Optional.of(pieces);
            progress.totalPieces = pieces.size();
        }
        progress.status = "PROCESSING";
        save(progress, lease);
        List<String> pieces = progress.pieces.orElseThrow();
        while (progress.pieceIndex < pieces.size()) {
            lease.checkRunning();
            String piece = pieces.get(progress.pieceIndex);
            runPiece(progress, location, format, piece, pieces.size() > 1 ? name(piece) + " " : "", lease);
        }
        progress.status = "COMPLETING";
        // Counted before the job is marked finished: a crash in between counts again (the same counts).
        job.segmentId().ifPresent(segment -> countMembers(job.appId(), segment));
        progress.finish(clock.instant());
        save(progress, lease);
    }

    private void runPiece(JobProgress progress, JobLocation location, String format, String piece, String label,
                          JobLease lease) {
        String failure = null;
        try (ImportReader reader = ImportReader.open(storage.open(location, piece), format)) {
            if (reader.skip(progress.pieceRecords)) {
                List<ImportReader.Row> chunk = new ArrayList<>(CHUNK);
                while (true) {
                    lease.checkRunning();
                    chunk.clear();
                    try {
                        ImportReader.Row row;
                        while (chunk.size() < CHUNK && (row = reader.next()) != null) {
                            chunk.add(row);
                        }
                    } catch (IOException | SdkException | UncheckedIOException e) {
                        // What was read before the file broke is still imported.
                        failure = label + reason(e);
                    }
                    if (progress.totalProcessed + chunk.size() > MAX_RECORDS) {
                        failure = label + "the job has more than " + MAX_RECORDS + " records";
                        break;
                    }
                    if (!chunk.isEmpty()) {
                        commit(progress, chunk, label, lease);
                    }
                    if (failure != null || chunk.size() < CHUNK) {
                        break;
                    }
                }
            }
        } catch (IOException | SdkException | UncheckedIOException e) {
            if (failure == null) {
                failure = label + reason(e);
            }
        }
        if (failure != null) {
            progress.failedPieces++;
            progress.note(failure);
        } else {
            progress.completedPieces++;
        }
        progress.pieceIndex++;
        progress.pieceRecords = 0;
        save(progress, lease);
    }

    /** Applies one chunk and moves the cursor past it, in one transaction. */
    private void commit(JobProgress progress, List<ImportReader.Row> chunk, String label, JobLease lease) {
        Job job = progress.job();
        boolean register = !job.definition().path("RegisterEndpoints").isBoolean()
                || job.definition().path("RegisterEndpoints").booleanValue();
        List<ObjectNode> items = new ArrayList<>(chunk.size());
        List<ImportReader.Row> itemRows = new ArrayList<>(chunk.size());
        long recordIndex = progress.pieceRecords;
        for (ImportReader.Row row : chunk) {
            if (row.item() != null) {
                if (!row.item().has("Id")) {
                    // The same id however often the chunk is read again: a resumed job makes no second endpoint.
                    row.item().put("Id", UUID.nameUUIDFromBytes((job.id() + "/" + progress.pieceIndex + "/"
                            + recordIndex).getBytes(StandardCharsets.UTF_8)).toString());
                }
                items.add(row.item());
                itemRows.add(row);
            }
            recordIndex++;
        }
        records.queued(job.appId(), () -> jobs.jdbi().inTransaction(handle -> {
            List<Optional<String>> reasons = register ? applyGuarded(handle, job.appId(), items)
                    : items.stream().map(ImportWork::unregisteredId).toList();
            List<String> members = new ArrayList<>();
            int item = 0;
            for (ImportReader.Row row : chunk) {
                if (row.item() == null) {
                    progress.fail(label + "line " + row.line() + ": " + row.error());
                    continue;
                }
                Optional<String> reason = reasons.get(item++);
                if (reason.isPresent()) {
                    progress.fail(label + "line " + row.line() + ": " + reason.get());
                } else if (job.segmentId().isPresent()) {
                    members.add(records.key(row.item().get("Id").textValue()));
                }
            }
            job.segmentId().ifPresent(segment -> jobs.addMembers(handle, job.appId(), segment, members));
            progress.totalProcessed += chunk.size();
            progress.pieceRecords += chunk.size();
            if (!jobs.save(handle, progress.snapshot(), lease.owner(), lease.until())) {
                throw new JobLease.Lost(job.id());
            }
            return null;
        }));
    }

    /**
     * applyEach; when it throws for the chunk as a whole (an item it did not expect, not the database), each item again
     * on its own behind a savepoint, so that such an item fails alone instead of stopping the job.
     */
    private List<Optional<String>> applyGuarded(Handle handle, String appId, List<ObjectNode> items) {
        handle.savepoint("import_chunk");
        try {
            List<Optional<String>> reasons = records.applyEach(handle, appId, items);
            handle.releaseSavepoint("import_chunk");
            return reasons;
        } catch (JdbiException e) {
            throw e;
        } catch (RuntimeException e) {
            handle.rollbackToSavepoint("import_chunk");
            handle.releaseSavepoint("import_chunk");
        }
        List<Optional<String>> reasons = new ArrayList<>(items.size());
        for (ObjectNode item : items) {
            handle.savepoint("import_item");
            try {
                reasons.add(records.applyEach(handle, appId, List.of(item)).get(0));
                handle.releaseSavepoint("import_item");
            } catch (JdbiException e) {
                throw e;
            } catch (RuntimeException e) {
                handle.rollbackToSavepoint("import_item");
                handle.releaseSavepoint("import_item");
                reasons.add(Optional.of("the endpoint cannot be imported: " + ImportWork.reason(e)));
            }
        }
        return reasons;
    }

    /**
     * Why an item of an import that does not register endpoints cannot be a segment member: its Id is what the
     * segment keeps, so it must be an id UpdateEndpoint would take (not empty, at most 128 characters, no '$').
     */
    private static Optional<String> unregisteredId(ObjectNode item) {
        if (!item.path("Id").isTextual()) {
            return Optional.of("Id must be a string");
        }
        try {
            EndpointRules.checkId(item.path("Id").textValue());
            return Optional.empty();
        } catch (RuleViolation e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Sets the IMPORT segment's Size (every member) and ChannelCounts (members by their endpoint's ChannelType). */
    private void countMembers(String appId, String segmentId) {
        Map<String, Long> counts = jobs.countMembers(appId, segmentId);
        long size = counts.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Long> channels = new TreeMap<>();
        counts.forEach((channel, count) -> {
            if (channel != null) {
                channels.put(channel, count);
            }
        });
        segments.importFinished(appId, segmentId, size, channels);
    }

    private void failWhole(JobProgress progress, String failure, JobLease lease) {
        progress.failedPieces = Math.max(1, progress.totalPieces - progress.completedPieces);
        progress.note(failure);
        progress.finish(clock.instant());
        save(progress, lease);
    }

    private void save(JobProgress progress, JobLease lease) {
        boolean held = jobs.jdbi().inTransaction(handle -> jobs.save(handle, progress.snapshot(), lease.owner(),
                lease.until()));
        if (!held) {
            throw new JobLease.Lost(progress.job().id());
        }
    }

    /** A piece's name as the failures show it: its last path segment. */
    private static String name(String piece) {
        int slash = piece.lastIndexOf('/');
        return slash >= 0 && slash < piece.length() - 1 ? piece.substring(slash + 1) : piece;
    }

    static String reason(Exception e) {
        Throwable cause = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }

    /** Whether a JSON member is a true boolean. */
    static boolean isTrue(JsonNode node) {
        return node.isBoolean() && node.booleanValue();
    }
}
