package dev.waymark.audience;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * Hears every event record the event log stores, inside the transaction that stores it, so that what it writes
 * (the event stream's queue) commits or rolls back with the records. Told only of records actually inserted: a
 * repeat that the log ignored is not told again.
 */
public interface EventTap {
    /** Hears nothing. */
    EventTap NONE = (handle, records, endpoints) -> { };

    /**
     * {@code records} were inserted in {@code handle}'s transaction; {@code endpoints} reads an endpoint (by the
     * key the records carry) as GetEndpoint answers it, on that same transaction, for a tap that needs it.
     */
    void written(Handle handle, List<EventRecord> records, Function<String, Optional<ObjectNode>> endpoints);
}
