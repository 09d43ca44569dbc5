package dev.waymark.audience;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;

/**
 * What import and export jobs need of segments, which the audience does not know: the segments concept implements
 * it and the server hands it to the jobs.
 */
public interface SegmentCatalog {
    /** A segment's kind. */
    enum Kind { DIMENSIONAL, IMPORT }

    /** The kind of the app's segment {@code segmentId}; empty when the app has no such segment. */
    Optional<Kind> kind(String appId, String segmentId);

    /**
     * The members of a segment (its latest version, or {@code version}) as a filter on endpoint rows; empty when the
     * segment or that version does not exist. The filter may depend on the time (Behavior.Recency): it is made now.
     */
    Optional<EndpointFilter> members(String appId, String segmentId, Optional<Integer> version);

    /**
     * CreateImportJob with DefineSegment: makes the IMPORT segment {@code segmentId} named {@code name} (or, when it
     * exists and is an IMPORT segment, keeps it). {@code importDefinition} holds Format, S3Url, RoleArn and ExternalId
     * as the job was asked.
     */
    void defineImport(String appId, String segmentId, String name, ObjectNode importDefinition);

    /**
     * An import job into an IMPORT segment has finished: its ImportDefinition's Size and ChannelCounts become these
     * (the whole segment's, counted after the job).
     */
    void importFinished(String appId, String segmentId, long size, Map<String, Long> channelCounts);
}
