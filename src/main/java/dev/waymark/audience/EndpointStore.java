package dev.waymark.audience;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * The endpoints of every app. Endpoints are read as EndpointResponse JSON, exactly as GetEndpoint answers them;
 * ids are case-insensitive. Writes apply Pinpoint's update rules and limits (a RuleViolation names the one broken).
 */
public interface EndpointStore {
    /** The endpoint with this id (in any letter case). */
    Optional<ObjectNode> find(String appId, String endpointId);

    /**
     * The endpoints of these keys ({@link #key} of their ids) as {@link #find} answers them, by key, read in
     * {@code handle}'s transaction in one statement (the journey engine reads a batch's endpoints so).
     */
    java.util.Map<String, ObjectNode> findByKeys(org.jdbi.v3.core.Handle handle, String appId,
                                                 java.util.Collection<String> keys);

    /**
     * The endpoint with this id as GetEndpoint's encoded answer (the same members as {@link #find}), written from
     * the stored row without building a JSON tree: the read every client makes most.
     */
    Optional<byte[]> findEncoded(String appId, String endpointId);

    /** Every endpoint whose User.UserId is {@code userId} (case-sensitive), in id order; at most 15 (Pinpoint's limit). */
    List<ObjectNode> byUser(String appId, String userId);

    /** How many endpoints the app has. */
    long count(String appId);

    /** How many endpoints of the app {@code filter} holds for, counted inside the database. */
    long count(String appId, EndpointFilter filter);

    /**
     * Up to {@code limit} endpoints of the app that {@code filter} holds for, in key order ({@link EndpointTable#KEY}),
     * after the key {@code afterKey} when given: pages that together read the whole selection without ever holding
     * more than one page.
     */
    List<ObjectNode> page(String appId, EndpointFilter filter, Optional<String> afterKey, int limit);

    /**
     * Adds a listener told, inside the deleting transaction, of endpoints DeleteEndpoint or DeleteUserEndpoints
     * removes (the journey engine takes them out of their journeys).
     */
    void onDeletion(EndpointDeletion listener);

    /** The key ({@link EndpointTable#KEY}) of an endpoint id: ids are case-insensitive. */
    String key(String endpointId);

    /** UpdateEndpoint: applies an EndpointRequest to the endpoint {@code endpointId}. */
    void updateOne(String appId, String endpointId, ObjectNode request);

    /** Applies every EndpointBatchItem (each with its Id) in one transaction, or none of them. */
    void update(String appId, List<ObjectNode> items);

    /** Deletes an endpoint; the endpoint as it was, or empty when there was none. */
    Optional<ObjectNode> delete(String appId, String endpointId);

    /** Deletes every endpoint of a user; the endpoints as they were (empty when the user had none). */
    List<ObjectNode> deleteUser(String appId, String userId);

    /**
     * RemoveAttributes: stops capturing new values for the names of {@code attributeType} that match the blacklist
     * (exact names or globs); the names the app had registered that match, in order. Stored values are kept.
     */
    List<String> removeAttributes(String appId, String attributeType, List<String> blacklist);
}
