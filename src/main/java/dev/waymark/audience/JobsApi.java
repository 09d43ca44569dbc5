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
    private final SegmentCatalog segments;

    JobsApi(Store store, Jdbi jdbi, EndpointRecords records, Paging paging, JobSettings settings, String region,
            Clock clock, SegmentCatalog segments) {
        this.store = store;
        this.segments = segments;
        this.jobs = new SqlJobStore(jdbi);
        this.requests = new JobRequests(settings);
        this.paging = paging;
        this.clock = clock;
        this.storage = new JobStorage(settings, region);
        this.runner = new JobRunner(jobs, new ImportWork(jobs, records, storage, settings, clock, segments),
                new ExportWork(jobs, store.endpoints(), storage, settings, clock, segments), settings, clock);
    }

    /**
     * Jobs on the SQL store behind {@code jdbi}, writing endpoints through the store's endpoint records and reading
     * and defining segments through {@code segments}.
     */
    public static JobsApi create(Store store, Jdbi jdbi, Paging paging, JobSettings settings, String region,
                                 Clock clock, SegmentCatalog segments) {
        return new JobsApi(store, jdbi, SqlEndpointStore.records(store), paging, settings, region, clock, segments);
    }

    /** Starts taking jobs (this node's and any other's whose lease ran out). */
    public void start() {
        runner.start();
    }

    /** The app a scoped key's files are confined to; empty for an admin key. */
    private static Optional<String> scope(ApiRequest request, String appId) {
        return request.caller().admin() ? Optional.empty() : Optional.of(appId);
    }

    public ApiResponse createImport(ApiRequest request) {
        String appId = AppLookup.require(store.apps(), request.label("ApplicationId")).id();
        ObjectNode definition = requests.importDefinition(Json.parseBody(request.body()), scope(request, appId));
        Optional<String> segment = Optional.empty();
        if (ImportWork.isTrue(definition.path("DefineSegment"))) {
            // A new IMPORT segment unless the request names one (Pinpoint's console re-imports into one that way).
            String segmentId = definition.has("SegmentId") ? newSegmentId(definition.get("SegmentId").textValue())
                    : Ids.newId();
            definition.put("SegmentId", segmentId);
            if (!definition.has("SegmentName")) {
                definition.put("SegmentName", segmentId);
            }
            ObjectNode imported = Json.MAPPER.createObjectNode();
            for (String member : List.of("ExternalId", "Format", "RoleArn", "S3Url")) {
                if (definition.has(member)) {
                    imported.set(member, definition.get(member));
                }
            }
            // The segment before the job: a job never imports into a segment that does not exist.
            segments.defineImport(appId, segmentId, definition.get("SegmentName").textValue(), imported);
            segment = Optional.of(segmentId);
        } else if (definition.has("SegmentId")) {
            segment = Optional.of(requireImportSegment(appId, definition.get("SegmentId").textValue()));
        }
        return ApiResponse.created(insert(appId, Job.Kind.IMPORT, segment, definition).response());
    }

    public ApiResponse createExport(ApiRequest request) {
        String appId = AppLookup.require(store.apps(), request.label("ApplicationId")).id();
        ObjectNode definition = requests.exportDefinition(Json.parseBody(request.body()), scope(request, appId));
        Optional<String> segment = Optional.empty();
        if (definition.has("SegmentId")) {
            String segmentId = definition.get("SegmentId").textValue();
            Optional<Integer> version = Optional.empty();
            if (definition.has("SegmentVersion")) {
                version = Optional.of(definition.get("SegmentVersion").intValue());
                if (version.get() < 1) {
                    throw new RuleViolation("ExportJobRequest.SegmentVersion must be a positive integer, not "
                            + version.get());
                }
            }
            // Read now, so that a segment or version that does not exist, or whose sources do not, is refused here.
            if (segments.members(appId, segmentId, version).isEmpty()) {
                throw segments.kind(appId, segmentId).isEmpty() ? segmentNotFound(appId, segmentId)
                        : ApiException.notFound("Segment '" + segmentId + "' of application '" + appId
                        + "' has no version " + version.orElseThrow());
            }
            segment = Optional.of(segmentId);
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

    /** An existing IMPORT segment to import into: NotFoundException when there is none, RuleViolation for another kind. */
    private String requireImportSegment(String appId, String segmentId) {
        SegmentCatalog.Kind kind = segments.kind(appId, segmentId).orElseThrow(() -> segmentNotFound(appId, segmentId));
        if (kind != SegmentCatalog.Kind.IMPORT) {
            throw new RuleViolation("ImportJobRequest.SegmentId: segment '" + segmentId + "' is a " + kind
                    + " segment; endpoints can be imported only into an IMPORT segment");
        }
        return segmentId;
    }

    /**
     * The id an import job with DefineSegment gives its new segment: it becomes part of the segment's ARN and of
     * paths, so it is held to the characters Pinpoint's own ids use.
     */
    private static String newSegmentId(String segmentId) {
        if (!segmentId.matches("[A-Za-z0-9_-]{1,100}")) {
            throw new RuleViolation("ImportJobRequest.SegmentId of a new segment must be 1 to 100 letters, digits, "
                    + "'-' or '_'");
        }
        return segmentId;
    }

    private static ApiException segmentNotFound(String appId, String segmentId) {
        return ApiException.notFound("Segment '" + segmentId + "' not found in application '" + appId + "'");
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
        if (segmentId != null && segments.kind(appId, segmentId).isEmpty()) {
            throw segmentNotFound(appId, segmentId);
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
