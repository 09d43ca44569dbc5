package dev.waymark.segments;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.audience.EndpointFilter;
import dev.waymark.store.sql.Dialect;
import java.time.Instant;
import java.util.Optional;

/** For the segment benchmark (audience.SegmentBenchmark): a definition without sources compiled as segments do. */
public final class SegmentBenchCriteria {
    private SegmentBenchCriteria() {
    }

    /** The filter of a WriteSegmentRequest's Dimensions or SegmentGroups (no SourceSegments) at {@code now}. */
    public static EndpointFilter compile(Dialect dialect, String appId, ObjectNode definition, Instant now) {
        Criterion criterion = new CriterionReader((app, segment, version) -> Optional.empty()).read(appId, definition);
        return new CriterionSql(dialect).compile(criterion, now);
    }
}
