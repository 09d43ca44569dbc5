package dev.waymark.audience;

import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Told, inside the deleting transaction, of endpoints that DeleteEndpoint or DeleteUserEndpoints removes, so that
 * what belongs to them (their events) goes with them. Keys are as {@link EndpointRecords#key} gives them.
 */
interface EndpointDeletion {
    void deleted(Handle handle, String appId, List<String> keys);
}
