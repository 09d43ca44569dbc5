package dev.waymark.audience;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Hears every event record the event log stores, inside the transaction that stores it, so that what it writes
 * (the event stream's queue) commits or rolls back with the records. Told only of records actually inserted: a
 * repeat that the log ignored is not told again.
 */
public interface EventTap {
    /** Hears nothing. */
    EventTap NONE = (handle, records, endpoints) -> { };

    /** Tells each tap in turn, in the same transaction. */
    static EventTap all(List<EventTap> taps) {
        List<EventTap> copy = List.copyOf(taps);
        return (handle, records, endpoints) -> copy.forEach(tap -> tap.written(handle, records, endpoints));
    }

    /**
     * {@code records} (of one app or several: the outbox records outcomes in batches) were inserted in
     * {@code handle}'s transaction; {@code endpoints} reads an endpoint as GetEndpoint answers it, on that same
     * transaction, for a tap that needs it.
     */
    void written(Handle handle, List<EventRecord> records, EndpointReader endpoints);

    /** Reads an app's endpoint by the key its records carry. */
    @FunctionalInterface
    interface EndpointReader {
        Optional<ObjectNode> read(String appId, String endpointKey);
    }
}
