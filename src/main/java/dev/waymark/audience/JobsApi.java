package dev.waymark.audience;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.apps.AppLookup;
import dev.waymark.error.ApiException;
import dev.waymark.http.ApiRequest;
import dev.waymark.http.ApiResponse;
import dev.waymark.http.BudgetedPage;
import dev.waymark.http.Paging;
import dev.waymark.rules.RuleViolation;
import dev.waymark.store.Store;
import dev.waymark.wire.Ids;
import dev.waymark.wire.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * CreateImportJob, GetImportJob, GetImportJobs, GetSegmentImportJobs, CreateExportJob, GetExportJob, GetExportJobs and
 * GetSegmentExportJobs. A job is accepted here and run in the background by whichever node takes it first.
 */
public final class JobsApi implements AutoCloseable {
    private final Store store;
    private final SqlJobStore jobs;
    private final JobRequests requests;
    private final Paging paging;
    private final Clock clock;
    private final JobStorage storage;
    private final JobRunner runner;

    JobsApi(Store store, Jdbi jdbi, EndpointRecords records, Paging paging, JobSettings settings, String region,
            Clock clock) {
        this.store = store;
        this.jobs = new SqlJobStore(jdbi);
        this.requests = new JobRequests(settings);
        this.paging = paging;
        this.clock = clock;
        this.storage = new JobStorage(settings, region);
        this.runner = new JobRunner(jobs, new ImportWork(jobs, records, storage, settings, clock),
                new ExportWork(jobs, records, storage, settings, clock), settings, clock);
    }

    /** Jobs on the SQL store behind {@code jdbi}, writing endpoints through the store's endpoint records. */
    public static JobsApi create(Store store, Jdbi jdbi, Paging paging, JobSettings settings, String region,
                                 Clock clock) {
        return new JobsApi(store, jdbi, SqlEndpointStore.records(store), paging, settings, region, clock);
    }

    /** Starts taking jobs (this node's and any other's whose lease ran out). */
    public void start() {
        runner.start();
    }

    public ApiResponse createImport(ApiRequest request) {
        String appId = AppLookup.require(store.apps(), request.label("ApplicationId")).id();
        ObjectNode definition = requests.importDefinition(Json.parseBody(request.body()));
        Optional<String> segment = Optional.empty();
        if (ImportWork.isTrue(definition.path("DefineSegment"))) {
            // A new IMPORT segment unless the request names one (Pinpoint's console re-imports into one that way).
            String segmentId = definition.has("SegmentId") ? definition.get("SegmentId").textValue() : Ids.newId();
            definition.put("SegmentId", segmentId);
            if (!definition.has("SegmentName")) {
                definition.put("SegmentName", segmentId);
            }
            segment = Optional.of(segmentId);
        } else if (definition.has("SegmentId")) {
            segment = Optional.of(requireImportSegment(appId, definition.get("SegmentId").textValue()));
        }
        return ApiResponse.created(insert(appId, Job.Kind.IMPORT, segment, definition).response());
    }

    public ApiResponse createExport(ApiRequest request) {
        String appId = AppLookup.require(store.apps(), request.label("ApplicationId")).id();
        ObjectNode definition = requests.exportDefinition(Json.parseBody(request.body()));
        Optional<String> segment = Optional.empty();
        if (definition.has("SegmentId")) {
            segment = Optional.of(requireImportSegment(appId, definition.get("SegmentId").textValue()));
        }
        return new ApiResponse(202, insert(appId, Job.Kind.EXPORT, segment, definition).response());
    }

    public ApiResponse getImport(ApiRequest request) {
        return get(request, Job.Kind.IMPORT);
    }

    public ApiResponse getExport(ApiRequest request) {
        return get(request, Job.Kind.EXPORT);
    }

    public ApiResponse listImports(ApiRequest request) {
        return list(request, Job.Kind.IMPORT, false);
    }

    public ApiResponse listExports(ApiRequest request) {
        return list(request, Job.Kind.EXPORT, false);
    }

    public ApiResponse listSegmentImports(ApiRequest request) {
        return list(request, Job.Kind.IMPORT, true);
    }

    public ApiResponse listSegmentExports(ApiRequest request) {
        return list(request, Job.Kind.EXPORT, true);
    }

    private Job insert(String appId, Job.Kind kind, Optional<String> segment, ObjectNode definition) {
        Job job = new Job(Ids.newId(), appId, kind, segment, definition, "CREATED",
                Instant.ofEpochMilli(clock.millis()), Optional.empty(), 0, 0, 0, 0, 0, List.of(), Optional.empty(), 0, 0);
        jobs.insert(job);
        runner.wake();
        return job;
    }

    /** Segments are not implemented yet: only an IMPORT segment that an import job of this app created is known. */
    private String requireImportSegment(String appId, String segmentId) {
        if (!jobs.importSegmentExists(appId, segmentId)) {
            throw new RuleViolation("SegmentId: segments are not implemented yet; a job can name only an IMPORT "
                    + "segment made by an import job with DefineSegment, and '" + segmentId + "' is not one");
        }
        return segmentId;
    }

    private ApiResponse get(ApiRequest request, Job.Kind kind) {
        String appId = AppLookup.require(store.apps(), request.label("ApplicationId")).id();
        String jobId = request.label("JobId");
        Job job = jobs.find(appId, kind, jobId).orElseThrow(() -> ApiException.notFound(
                (kind == Job.Kind.IMPORT ? "Import" : "Export") + " job '" + jobId + "' not found in application '"
                        + appId + "'"));
        return ApiResponse.ok(job.response());
    }

    private ApiResponse list(ApiRequest request, Job.Kind kind, boolean ofSegment) {
        String appId = AppLookup.require(store.apps(), request.label("ApplicationId")).id();
        String segmentId = ofSegment ? request.label("SegmentId") : null;
        if (segmentId != null && !jobs.importSegmentExists(appId, segmentId)) {
            throw ApiException.notFound("Segment '" + segmentId + "' not found in application '" + appId + "'");
        }
        int pageSize = Paging.pageSize(request);
        String listing = kind.name().toLowerCase(java.util.Locale.ROOT) + "-jobs";
        String scope = segmentId == null ? appId : appId + "/" + segmentId;
        return ApiResponse.okEncoded(BudgetedPage.write((after, limit) -> jobs.page(appId, kind, segmentId, after, limit),
                paging.after(request, listing, scope), pageSize,
                BudgetedPage.listing(Job::response, next -> paging.nextToken(Optional.of(next), listing, scope))));
    }

    @Override
    public void close() {
        try {
            runner.close();
        } finally {
            storage.close();
        }
    }
}
