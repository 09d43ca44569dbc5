package dev.waymark.audience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.rules.RuleViolation;
import dev.waymark.wire.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Runs one export job: every endpoint of the app (or the members of a segment) as newline-delimited JSON, gzip-compressed,
 * written to {@code <S3UrlPrefix>/<job id>/endpoints-1.json.gz}. The file is made in a temporary file and written to
 * its destination once complete; an export taken over after a crash starts again from the first endpoint.
 */
final class ExportWork {
    /** Endpoints read from the store at a time. */
    static final int PAGE = 1000;

    private final SqlJobStore jobs;
    private final EndpointStore endpoints;
    private final JobStorage storage;
    private final JobSettings settings;
    private final Clock clock;
    private final SegmentCatalog segments;

    ExportWork(SqlJobStore jobs, EndpointStore endpoints, JobStorage storage, JobSettings settings, Clock clock,
               SegmentCatalog segments) {
        this.jobs = jobs;
        this.endpoints = endpoints;
        this.segments = segments;
        this.storage = storage;
        this.settings = settings;
        this.clock = clock;
    }

    /** The file name of an export under its S3UrlPrefix. */
    static String fileName(String jobId) {
        return jobId + "/endpoints-1.json.gz";
    }

    void run(Job job, JobLease lease) {
        JobProgress progress = new JobProgress(job);
        progress.status = "PROCESSING";
        progress.totalPieces = 1;
        progress.totalProcessed = 0;
        save(progress, lease);
        EndpointFilter members;
        try {
            members = members(job);
        } catch (RuleViolation e) {
            progress.failedPieces = 1;
            progress.note(e.getMessage());
            progress.finish(clock.instant());
            save(progress, lease);
            return;
        }
        Path temporary = null;
        try {
            JobLocation location = JobLocation.parse("S3UrlPrefix", job.definition().path("S3UrlPrefix").asText(),
                    settings.exportDir(), "--export-dir", true);
            temporary = Files.createTempFile("waymark-export-", ".json.gz");
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(temporary), 65536)) {
                String after = null;
                while (true) {
                    lease.checkRunning();
                    String from = after;
                    // Selected inside the database, a page at a time, in key order.
                    List<ObjectNode> page = endpoints.page(job.appId(), members, Optional.ofNullable(from), PAGE);
                    for (ObjectNode endpoint : page) {
                        out.write(Json.write(endpoint));
                        out.write('\n');
                    }
                    progress.totalProcessed += page.size();
                    save(progress, lease);
                    if (page.size() < PAGE) {
                        break;
                    }
                    after = endpoints.key(page.get(page.size() - 1).get("Id").textValue());
                }
            }
            storage.write(location, fileName(job.id()), temporary);
            progress.completedPieces = 1;
        } catch (RuleViolation | IOException | SdkException | UncheckedIOException e) {
            progress.failedPieces = 1;
            progress.note("S3UrlPrefix cannot be written: " + ImportWork.reason(e));
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    // A temporary file; the system cleans its temporary directory.
                }
            }
        }
        progress.finish(clock.instant());
        save(progress, lease);
    }

    /**
     * The members of the job's segment (at its SegmentVersion, else the latest) as a filter made now; every endpoint
     * for a job of the whole app. A segment deleted since the job was accepted fails it.
     */
    private EndpointFilter members(Job job) {
        if (job.segmentId().isEmpty()) {
            return EndpointFilter.EVERYONE;
        }
        String segmentId = job.segmentId().get();
        JsonNode version = job.definition().path("SegmentVersion");
        Optional<EndpointFilter> filter = segments.members(job.appId(), segmentId,
                version.isInt() ? Optional.of(version.intValue()) : Optional.empty());
        if (filter.isEmpty()) {
            throw new RuleViolation("SegmentId: segment '" + segmentId + "' (or its SegmentVersion) no longer exists");
        }
        return filter.get();
    }

    private void save(JobProgress progress, JobLease lease) {
        boolean held = jobs.jdbi().inTransaction(handle -> jobs.save(handle, progress.snapshot(), lease.owner(),
                lease.until()));
        if (!held) {
            throw new JobLease.Lost(progress.job().id());
        }
    }
}
