package dev.waymark.audience;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One stored endpoint. The map and structure members are JSON objects, empty when absent; they are never changed in
 * place once the record exists (the rules build new ones).
 */
record Endpoint(String id, String key, String channelType, String address, String status, String optOut,
                String requestId, String userId, ObjectNode userAttributes, ObjectNode attributes, ObjectNode metrics,
                ObjectNode demographic, ObjectNode location, int cohortId, long createdMs, long modifiedMs,
                String effectiveDate, long effectiveMs) {

    static ObjectNode emptyObject() {
        return JsonNodeFactory.instance.objectNode();
    }

    Endpoint withUser(String newUserId, ObjectNode newUserAttributes) {
        return new Endpoint(id, key, channelType, address, status, optOut, requestId, newUserId, newUserAttributes,
                attributes, metrics, demographic, location, cohortId, createdMs, modifiedMs, effectiveDate,
                effectiveMs);
    }

    Endpoint withStatus(String newStatus) {
        return new Endpoint(id, key, channelType, address, newStatus, optOut, requestId, userId, userAttributes,
                attributes, metrics, demographic, location, cohortId, createdMs, modifiedMs, effectiveDate,
                effectiveMs);
    }

    /** EndpointResponse as the wire writes it. */
    ObjectNode response(String appId) {
        ObjectNode node = emptyObject();
        putText(node, "Address", address);
        node.put("ApplicationId", appId);
        if (!attributes.isEmpty()) {
            node.set("Attributes", attributes.deepCopy());
        }
        putText(node, "ChannelType", channelType);
        node.put("CohortId", Integer.toString(cohortId));
        node.put("CreationDate", dev.waymark.wire.WireTime.format(java.time.Instant.ofEpochMilli(createdMs)));
        if (!demographic.isEmpty()) {
            node.set("Demographic", demographic.deepCopy());
        }
        node.put("EffectiveDate", effectiveDate);
        node.put("EndpointStatus", status);
        node.put("Id", id);
        if (!location.isEmpty()) {
            node.set("Location", location.deepCopy());
        }
        if (!metrics.isEmpty()) {
            node.set("Metrics", metrics.deepCopy());
        }
        putText(node, "OptOut", optOut);
        putText(node, "RequestId", requestId);
        if (userId != null || !userAttributes.isEmpty()) {
            ObjectNode user = node.putObject("User");
            if (!userAttributes.isEmpty()) {
                user.set("UserAttributes", userAttributes.deepCopy());
            }
            putText(user, "UserId", userId);
        }
        return node;
    }

    private static void putText(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }
}
