package dev.waymark.audience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.wire.Json;
import dev.waymark.wire.WireTime;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * The rows of a page of segment members as EndpointResponse JSON, the same members in the same order as
 * {@link Endpoint#response}, built straight from the row: a segment is read a page after another over up to every
 * endpoint of an app, and going through {@link Endpoint} parsed each JSON column and then deep-copied it, and looked
 * every column up by name (bench/run_segments.py).
 */
final class MemberRows {
    /** The columns {@link #response} reads, by position. */
    static final String COLUMNS = "e.address, e.attributes, e.channel_type, e.cohort_id, e.created_ms, e.demographic, "
            + "e.effective_date, e.endpoint_status, e.id, e.location, e.metrics, e.opt_out, e.request_id, "
            + "e.user_attributes, e.user_id";

    private MemberRows() {
    }

    /** The row read with {@link #COLUMNS} as EndpointResponse JSON. */
    static ObjectNode response(ResultSet rs, String appId) throws SQLException {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        putText(node, "Address", rs.getString(1));
        node.put("ApplicationId", appId);
        putObject(node, "Attributes", rs.getString(2));
        putText(node, "ChannelType", rs.getString(3));
        node.put("CohortId", Integer.toString(rs.getInt(4)));
        node.put("CreationDate", WireTime.format(Instant.ofEpochMilli(rs.getLong(5))));
        putObject(node, "Demographic", rs.getString(6));
        node.put("EffectiveDate", rs.getString(7));
        node.put("EndpointStatus", rs.getString(8));
        node.put("Id", rs.getString(9));
        putObject(node, "Location", rs.getString(10));
        putObject(node, "Metrics", rs.getString(11));
        putText(node, "OptOut", rs.getString(12));
        putText(node, "RequestId", rs.getString(13));
        String userAttributes = rs.getString(14);
        String userId = rs.getString(15);
        JsonNode attributes = userAttributes == null ? null : Json.parseStored(userAttributes);
        boolean hasAttributes = attributes != null && attributes.isObject() && !attributes.isEmpty();
        if (userId != null || hasAttributes) {
            ObjectNode user = node.putObject("User");
            if (hasAttributes) {
                user.set("UserAttributes", attributes);
            }
            putText(user, "UserId", userId);
        }
        return node;
    }

    private static void putObject(ObjectNode node, String name, String json) {
        if (json != null) {
            JsonNode value = Json.parseStored(json);
            if (value.isObject() && !value.isEmpty()) {
                node.set(name, value);
            }
        }
    }

    private static void putText(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }
}
