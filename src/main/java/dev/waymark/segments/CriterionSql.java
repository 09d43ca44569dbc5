package dev.waymark.segments;

import dev.waymark.audience.EndpointFilter;
import dev.waymark.audience.EndpointTable;
import dev.waymark.store.sql.Dialect;
import java.time.Instant;
import java.util.Map;

/** TEMP stub of the grammar helper's class; dropped by the integrator. */
final class CriterionSql {
    CriterionSql(Dialect dialect) {
    }

    EndpointFilter compile(Criterion criterion, Instant now) {
        if (criterion instanceof Criterion.ImportedInto imported) {
            return new EndpointFilter(EndpointTable.importedInto("f0"), Map.of("f0", imported.segmentId()));
        }
        return EndpointFilter.EVERYONE;
    }
}
