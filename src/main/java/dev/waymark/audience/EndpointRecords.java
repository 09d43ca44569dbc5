package dev.waymark.audience;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;

/**
 * Endpoints as the rest of the audience (PutEvents, import and export jobs) reaches them, inside a transaction the
 * caller holds, so that an endpoint and what comes with it (events, a job's progress) commit together.
 *
 * <p>Items are EndpointBatchItem JSON as a client sends it (the {@code Id} member names the endpoint); the update
 * rules, limits and user synchronisation are the same as for UpdateEndpoint.
 */
interface EndpointRecords {
    /**
     * Applies each item on its own: an item that breaks a rule changes nothing and its reason (naming the member or
     * the limit) is at its index; applied items have an empty reason.
     */
    List<Optional<String>> applyEach(Handle handle, String appId, List<ObjectNode> items);

    /** Applies every item or none: the RuleViolation names the item and the rule it breaks. */
    void applyAll(Handle handle, String appId, List<ObjectNode> items);

    /**
     * Runs a write that touches the app's endpoints (a transaction that calls {@link #applyEach} or {@link #applyAll})
     * after this node's earlier writes of that app, and before it takes a database connection.
     */
    <T> T queued(String appId, Supplier<T> write);

    /** The stored key of an endpoint id (ids are case-insensitive), as {@link EndpointTable#KEY} orders them. */
    String key(String endpointId);
}
