package dev.waymark.audience;

import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Told, inside the deleting transaction, of endpoints that DeleteEndpoint or DeleteUserEndpoints removes, so that
 * what belongs to them (their events) goes with them. Keys are as {@link EndpointRecords#key} gives them.
 */
public interface EndpointDeletion {
    /** The endpoints of {@code keys} (ids lower-cased) of the app are being deleted in {@code handle}'s transaction. */
    void deleted(Handle handle, String appId, List<String> keys);
}
