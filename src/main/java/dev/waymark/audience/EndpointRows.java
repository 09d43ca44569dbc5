package dev.waymark.audience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.store.sql.Dialect;
import dev.waymark.wire.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatement;

/** How an endpoint is written to and read from its row; the JSON columns are jsonb on PostgreSQL. */
final class EndpointRows {
    static final RowMapper<Endpoint> MAPPER = EndpointRows::read;

    static final String COLUMNS = "app_id, id_key, id, channel_type, address, endpoint_status, opt_out, request_id, "
            + "user_id, cohort_id, created_ms, modified_ms, effective_date, effective_ms, timezone, country, "
            + "postal_code, latitude, longitude, attributes, user_attributes, metrics, demographic, location";

    private EndpointRows() {}

    /** The upsert of a whole endpoint row; the id keeps the spelling of the endpoint's first write. */
    static String upsert(Dialect dialect) {
        String json = dialect == Dialect.POSTGRESQL ? "CAST(%s AS jsonb)" : "%s";
        return "INSERT INTO endpoints (" + COLUMNS + ") VALUES (:app_id, :id_key, :id, :channel_type, :address, "
                + ":endpoint_status, :opt_out, :request_id, :user_id, :cohort_id, :created_ms, :modified_ms, "
                + ":effective_date, :effective_ms, :timezone, :country, :postal_code, :latitude, :longitude, "
                + String.format(json, ":attributes") + ", " + String.format(json, ":user_attributes") + ", "
                + String.format(json, ":metrics") + ", " + String.format(json, ":demographic") + ", "
                + String.format(json, ":location") + ") ON CONFLICT (app_id, id_key) DO UPDATE SET "
                + "channel_type = excluded.channel_type, address = excluded.address, "
                + "endpoint_status = excluded.endpoint_status, opt_out = excluded.opt_out, "
                + "request_id = excluded.request_id, user_id = excluded.user_id, modified_ms = excluded.modified_ms, "
                + "effective_date = excluded.effective_date, effective_ms = excluded.effective_ms, "
                + "timezone = excluded.timezone, country = excluded.country, postal_code = excluded.postal_code, "
                + "latitude = excluded.latitude, longitude = excluded.longitude, attributes = excluded.attributes, "
                + "user_attributes = excluded.user_attributes, metrics = excluded.metrics, "
                + "demographic = excluded.demographic, location = excluded.location";
    }

    /** The JSON column cast PostgreSQL needs for a bound text. */
    static String json(Dialect dialect, String parameter) {
        return dialect == Dialect.POSTGRESQL ? "CAST(" + parameter + " AS jsonb)" : parameter;
    }

    static <S extends SqlStatement<S>> S bind(S statement, String appId, Endpoint endpoint) {
        statement.bind("app_id", appId).bind("id_key", endpoint.key()).bind("id", endpoint.id())
                .bind("channel_type", endpoint.channelType()).bind("address", endpoint.address())
                .bind("endpoint_status", endpoint.status()).bind("opt_out", endpoint.optOut())
                .bind("request_id", endpoint.requestId()).bind("user_id", endpoint.userId())
                .bind("cohort_id", endpoint.cohortId()).bind("created_ms", endpoint.createdMs())
                .bind("modified_ms", endpoint.modifiedMs()).bind("effective_date", endpoint.effectiveDate())
                .bind("effective_ms", endpoint.effectiveMs())
                .bind("timezone", text(endpoint.demographic(), "Timezone"))
                .bind("country", text(endpoint.location(), "Country"))
                .bind("postal_code", text(endpoint.location(), "PostalCode"))
                .bind("attributes", write(endpoint.attributes()))
                .bind("user_attributes", write(endpoint.userAttributes()))
                .bind("metrics", write(endpoint.metrics()))
                .bind("demographic", write(endpoint.demographic()))
                .bind("location", write(endpoint.location()));
        bindDouble(statement, "latitude", endpoint.location().get("Latitude"));
        bindDouble(statement, "longitude", endpoint.location().get("Longitude"));
        return statement;
    }

    /** An object column's text, or null for an empty object (absent members take no room). */
    static String write(ObjectNode node) {
        return node == null || node.isEmpty() ? null : node.toString();
    }

    private static Endpoint read(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws SQLException {
        return new Endpoint(rs.getString("id"), rs.getString("id_key"), rs.getString("channel_type"),
                rs.getString("address"), rs.getString("endpoint_status"), rs.getString("opt_out"),
                rs.getString("request_id"), rs.getString("user_id"), object(rs.getString("user_attributes")),
                object(rs.getString("attributes")), object(rs.getString("metrics")),
                object(rs.getString("demographic")), object(rs.getString("location")), rs.getInt("cohort_id"),
                rs.getLong("created_ms"), rs.getLong("modified_ms"), rs.getString("effective_date"),
                rs.getLong("effective_ms"));
    }

    static ObjectNode object(String json) {
        if (json == null) {
            return Endpoint.emptyObject();
        }
        JsonNode node = Json.parseStored(json);
        return node.isObject() ? (ObjectNode) node : Endpoint.emptyObject();
    }

    private static String text(ObjectNode node, String member) {
        JsonNode value = node.get(member);
        return value != null && value.isTextual() ? value.textValue() : null;
    }

    private static void bindDouble(SqlStatement<?> statement, String name, JsonNode value) {
        if (value != null && value.isNumber()) {
            statement.bind(name, value.doubleValue());
        } else {
            statement.bindNull(name, Types.DOUBLE);
        }
    }
}
