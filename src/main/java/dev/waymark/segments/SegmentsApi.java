package dev.waymark.segments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.apps.AppLookup;
import dev.waymark.error.ApiException;
import dev.waymark.http.ApiRequest;
import dev.waymark.http.ApiResponse;
import dev.waymark.http.BudgetedPage;
import dev.waymark.http.Paging;
import dev.waymark.rules.RuleViolation;
import dev.waymark.store.Store;
import dev.waymark.tags.TagRules;
import dev.waymark.wire.Arns;
import dev.waymark.wire.Ids;
import dev.waymark.wire.Json;
import dev.waymark.wire.PinpointShapes;
import dev.waymark.wire.ShapeReader;
import dev.waymark.wire.WireTime;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * CreateSegment, GetSegment, GetSegments, UpdateSegment, DeleteSegment, GetSegmentVersion, GetSegmentVersions. Every
 * change is a new version holding the whole WriteSegmentRequest as accepted (tags aside); versions never change.
 */
public final class SegmentsApi {
    /** The largest WriteSegmentRequest body read. */
    public static final long MAX_BODY_BYTES = 1024 * 1024;
    private static final String LISTING = "segments";
    private static final String VERSIONS = "segment-versions";

    private final Store store;
    private final SqlSegmentStore segments;
    private final Arns arns;
    private final Paging paging;
    private final Clock clock;
    private final SegmentUsers users;

    public SegmentsApi(Store store, SqlSegmentStore segments, Arns arns, Paging paging, Clock clock,
                       SegmentUsers users) {
        this.store = store;
        this.segments = segments;
        this.arns = arns;
        this.paging = paging;
        this.clock = clock;
        this.users = users;
    }

    public ApiResponse create(ApiRequest request) {
        String appId = AppLookup.require(store.apps(), request.label("ApplicationId")).id();
        ObjectNode body = readWriteRequest(request);
        Map<String, String> tags = body.has("tags") ? TagRules.check(Json.stringMap(body.get("tags"))) : Map.of();
        ObjectNode definition = definition(body);
        Instant now = now();
        // Read as it will be: a source segment that does not exist is refused now rather than breaking it later.
        new CriterionReader(segments).read(appId, definition);
        StoredSegment first = new StoredSegment(appId, Ids.newId(), 1, StoredSegment.DIMENSIONAL, definition, now, now);
        if (!segments.create(first, tags)) {
            // DeleteApp came first.
            throw AppLookup.notFound(appId);
        }
        return ApiResponse.created(response(first, tags));
    }

    public ApiResponse get(ApiRequest request) {
        StoredSegment segment = find(request, Optional.empty());
        return ApiResponse.ok(response(segment, tags(segment)));
    }

    /** A page of the app's segments, each at its latest version, in the order they were created. */
    public ApiResponse list(ApiRequest request) {
        String appId = AppLookup.require(store.apps(), request.label("ApplicationId")).id();
        return ApiResponse.okEncoded(BudgetedPage.write(
                (after, limit) -> segments.list(appId, after, limit),
                paging.after(request, LISTING, appId), Paging.pageSize(request),
                BudgetedPage.listing(segment -> response(segment, tags(segment)),
                        next -> paging.nextToken(Optional.of(next), LISTING, appId))));
    }

    public ApiResponse update(ApiRequest request) {
        StoredSegment current = find(request, Optional.empty());
        ObjectNode body = readWriteRequest(request);
        ObjectNode definition;
        if (StoredSegment.IMPORT.equals(current.type())) {
            definition = importUpdate(current, body);
        } else {
            definition = definition(body);
            // A source that does not exist, or leads back to this segment, is refused before it is stored.
            new CriterionReader(segments).read(current.appId(), current.id(), definition);
        }
        // Tags in an update are ignored, as Pinpoint has done since 2023: TagResource changes them.
        StoredSegment next = segments.update(current.appId(), current.id(), definition, now())
                .orElseThrow(() -> notFound(current.appId(), current.id()));
        return ApiResponse.ok(response(next, tags(next)));
    }

    public ApiResponse delete(ApiRequest request) {
        StoredSegment segment = find(request, Optional.empty());
        Map<String, String> tags = tags(segment);
        StoredSegment deleted = segments.delete(segment.appId(), segment.id(), users)
                .orElseThrow(() -> notFound(segment.appId(), segment.id()));
        return ApiResponse.ok(response(deleted, tags));
    }

    public ApiResponse getVersion(ApiRequest request) {
        StoredSegment segment = find(request, Optional.of(version(request.label("Version"))));
        return ApiResponse.ok(response(segment, tags(segment)));
    }

    /** A page of one segment's versions, oldest first. */
    public ApiResponse listVersions(ApiRequest request) {
        StoredSegment latest = find(request, Optional.empty());
        String scope = latest.appId() + "/" + latest.id();
        Map<String, String> tags = tags(latest);
        return ApiResponse.okEncoded(BudgetedPage.write(
                (after, limit) -> segments.versions(latest.appId(), latest.id(), after, limit),
                paging.after(request, VERSIONS, scope), Paging.pageSize(request),
                BudgetedPage.listing(segment -> response(segment, tags),
                        next -> paging.nextToken(Optional.of(next), VERSIONS, scope))));
    }

    /** NotFoundException for a segment, as Pinpoint words it. */
    public static ApiException notFound(String appId, String segmentId) {
        return ApiException.notFound("Segment '" + segmentId + "' not found in application '" + appId + "'");
    }

    /** The segment the path names (at {@code version}, else its latest), or NotFoundException for its app or it. */
    private StoredSegment find(ApiRequest request, Optional<Integer> version) {
        String appId = AppLookup.require(store.apps(), request.label("ApplicationId")).id();
        String segmentId = request.label("SegmentId");
        Optional<StoredSegment> found = segments.find(appId, segmentId, version);
        if (found.isPresent()) {
            return found.get();
        }
        if (version.isPresent() && segments.exists(appId, segmentId)) {
            throw ApiException.notFound("Segment '" + segmentId + "' of application '" + appId + "' has no version "
                    + version.get());
        }
        throw notFound(appId, segmentId);
    }

    /** The {version} label: a positive integer. */
    private static int version(String text) {
        if (text.matches("[0-9]{1,9}") && Integer.parseInt(text) > 0) {
            return Integer.parseInt(text);
        }
        throw ApiException.badRequest("Version must be a positive integer, not '" + text + "'");
    }

    /**
     * UpdateSegment of an IMPORT segment: its members come from its import jobs, so only its Name may change; its
     * ImportDefinition stays.
     */
    private static ObjectNode importUpdate(StoredSegment current, ObjectNode body) {
        for (String member : new String[] {"Dimensions", "SegmentGroups"}) {
            if (body.has(member)) {
                throw new RuleViolation(member + ": segment '" + current.id() + "' is an IMPORT segment, whose "
                        + "endpoints come from its import jobs; only its Name can be updated (to filter it, create a "
                        + "segment with it as a source segment)");
            }
        }
        ObjectNode definition = current.definition().deepCopy();
        if (body.has("Name")) {
            definition.set("Name", body.get("Name"));
        }
        return definition;
    }

    private static ObjectNode readWriteRequest(ApiRequest request) {
        return ShapeReader.read(Json.parseBody(request.body()), PinpointShapes.WRITE_SEGMENT_REQUEST);
    }

    /** A dimensional segment's definition as stored: the request checked, less its tags. */
    private static ObjectNode definition(ObjectNode body) {
        SegmentRules.check(body);
        ObjectNode definition = body.deepCopy();
        definition.remove("tags");
        return definition;
    }

    private Map<String, String> tags(StoredSegment segment) {
        return store.tags().get(Arns.segmentTagId(segment.appId(), segment.id()));
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }

    /** A SegmentResponse: the stored definition plus the members the server owns. */
    private ObjectNode response(StoredSegment segment, Map<String, String> tags) {
        ObjectNode response = Json.MAPPER.createObjectNode();
        response.put("ApplicationId", segment.appId());
        response.put("Arn", arns.segment(segment.appId(), segment.id()));
        response.put("CreationDate", WireTime.format(segment.created()));
        response.put("Id", segment.id());
        response.put("LastModifiedDate", WireTime.format(segment.modified()));
        for (Map.Entry<String, JsonNode> member : segment.definition().properties()) {
            response.set(member.getKey(), member.getValue());
        }
        response.put("SegmentType", segment.type());
        response.put("Version", segment.version());
        if (!tags.isEmpty()) {
            response.set("tags", Json.MAPPER.valueToTree(tags));
        }
        return response;
    }
}
