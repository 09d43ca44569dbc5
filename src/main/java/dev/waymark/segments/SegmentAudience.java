package dev.waymark.segments;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.apps.AppLookup;
import dev.waymark.audience.EndpointFilter;
import dev.waymark.audience.EndpointStore;
import dev.waymark.audience.EventLog;
import dev.waymark.audience.SegmentCatalog;
import dev.waymark.rules.RuleViolation;
import dev.waymark.store.sql.Dialect;
import dev.waymark.wire.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The members of segments: for journeys ({@link SegmentMembers}) and for import and export jobs
 * ({@link SegmentCatalog}). Members are selected inside the database through the audience's endpoint filter, a page
 * at a time; one endpoint is tested in Java.
 */
public final class SegmentAudience implements SegmentMembers, SegmentCatalog {
    private final SqlSegmentStore segments;
    private final CriterionReader reader;
    private final CriterionSql sql;
    private final EndpointStore endpoints;
    private final EndpointMatcher matcher;
    private final Clock clock;

    public SegmentAudience(SqlSegmentStore segments, Dialect dialect, EndpointStore endpoints, EventLog events,
                           Clock clock) {
        this.segments = segments;
        this.reader = new CriterionReader(segments);
        this.sql = new CriterionSql(dialect);
        this.endpoints = endpoints;
        this.matcher = new EndpointMatcher(events,
                (appId, segmentId, endpointId) -> segments.isImportMember(appId, segmentId, endpoints.key(endpointId)));
        this.clock = clock;
    }

    @Override
    public Optional<Criterion> criterion(String appId, String segmentId, Optional<Integer> version) {
        return segments.find(appId, segmentId, version).map(reader::read);
    }

    @Override
    public Optional<Integer> latestVersion(String appId, String segmentId) {
        return segments.find(appId, segmentId, Optional.empty()).map(StoredSegment::version);
    }

    @Override
    public Criterion criterionOf(String appId, ObjectNode dimensions) {
        ObjectNode definition = dev.waymark.wire.Json.MAPPER.createObjectNode();
        definition.set("Dimensions", dimensions);
        return reader.read(appId, definition);
    }

    @Override
    public long count(String appId, Criterion criterion, Instant now) {
        return endpoints.count(appId, sql.compile(criterion, now));
    }

    @Override
    public List<ObjectNode> page(String appId, Criterion criterion, Instant now, Optional<String> afterKey,
                                 int limit) {
        return endpoints.page(appId, sql.compile(criterion, now), afterKey, limit);
    }

    @Override
    public boolean test(String appId, Criterion criterion, ObjectNode endpoint, Instant now) {
        return matcher.test(appId, criterion, endpoint, now);
    }

    @Override
    public Optional<Kind> kind(String appId, String segmentId) {
        return segments.find(appId, segmentId, Optional.empty()).map(segment -> Kind.valueOf(segment.type()));
    }

    @Override
    public Optional<EndpointFilter> members(String appId, String segmentId, Optional<Integer> version) {
        return segments.find(appId, segmentId, version)
                .map(segment -> sql.compile(reader.read(segment), clock.instant()));
    }

    @Override
    public void defineImport(String appId, String segmentId, String name, ObjectNode importDefinition) {
        if (requireImportOrAbsent(appId, segmentId)) {
            return;
        }
        ObjectNode definition = Json.MAPPER.createObjectNode();
        definition.put("Name", name);
        ObjectNode imported = definition.putObject("ImportDefinition");
        imported.setAll(importDefinition);
        imported.putObject("ChannelCounts");
        imported.put("Size", 0);
        Instant now = Instant.ofEpochMilli(clock.millis());
        try {
            if (!segments.create(new StoredSegment(appId, segmentId, 1, StoredSegment.IMPORT, definition, now, now))) {
                throw AppLookup.notFound(appId);
            }
        } catch (SqlSegmentStore.DuplicateSegment e) {
            // Another job defined it at the same time.
            requireImportOrAbsent(appId, segmentId);
        }
    }

    /** Whether the app has the IMPORT segment; false when it has no such segment; RuleViolation for another kind. */
    private boolean requireImportOrAbsent(String appId, String segmentId) {
        Optional<Kind> kind = kind(appId, segmentId);
        if (kind.isPresent() && kind.get() != Kind.IMPORT) {
            throw new RuleViolation("SegmentId: segment '" + segmentId + "' is a " + kind.get()
                    + " segment; endpoints can be imported only into an IMPORT segment");
        }
        return kind.isPresent();
    }

    @Override
    public void importFinished(String appId, String segmentId, long size, Map<String, Long> channelCounts) {
        segments.importCounted(appId, segmentId, size, channelCounts, Instant.ofEpochMilli(clock.millis()));
    }
}
