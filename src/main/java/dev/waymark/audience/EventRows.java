package dev.waymark.audience;

import java.util.Collection;
import org.jdbi.v3.core.Handle;

/** Event rows changed inside another store's transaction: the events of endpoints being deleted go with them. */
final class EventRows {
    private EventRows() {}

    /** Deletes every event of the endpoints with these stored keys; the number deleted. */
    static int deleteOfEndpoints(Handle handle, String appId, Collection<String> endpointKeys) {
        if (endpointKeys.isEmpty()) {
            return 0;
        }
        return handle.createUpdate("DELETE FROM events WHERE app_id = :app AND endpoint_key IN (<keys>)")
                .bind("app", appId).bindList("keys", endpointKeys).execute();
    }
}
