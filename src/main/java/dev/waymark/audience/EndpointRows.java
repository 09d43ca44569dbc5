package dev.waymark.audience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.store.sql.Dialect;
import dev.waymark.wire.Json;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.waymark.wire.WireTime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collection;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** How an endpoint is written to and read from its row; the JSON columns are jsonb on PostgreSQL. */
final class EndpointRows {
    static final RowMapper<Endpoint> MAPPER = EndpointRows::read;

    static final String COLUMNS = "app_id, id_key, id, channel_type, address, endpoint_status, opt_out, request_id, "
            + "user_id, cohort_id, created_ms, modified_ms, effective_date, effective_ms, timezone, country, "
            + "postal_code, latitude, longitude, attributes, user_attributes, metrics, demographic, location";

    private EndpointRows() {}

    private static final String SQLITE_UPSERT = upsert(Dialect.SQLITE);
    private static final String POSTGRESQL_UPSERT = upsert(Dialect.POSTGRESQL);

    /** The upsert of a whole endpoint row, parameters in {@link #COLUMNS} order; the id keeps its first spelling. */
    private static String upsert(Dialect dialect) {
        String json = dialect == Dialect.POSTGRESQL ? "CAST(? AS jsonb)" : "?";
        return "INSERT INTO endpoints (" + COLUMNS + ") VALUES (" + "?, ".repeat(19) + json + ", " + json + ", "
                + json + ", " + json + ", " + json + ") ON CONFLICT (app_id, id_key) DO UPDATE SET "
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

    /**
     * Upserts the endpoints in one JDBC batch. Plain positional parameters: this runs while the app's writes (and on
     * SQLite the store's) wait, and binding 24 named parameters a row through JDBI cost more than the upsert itself.
     */
    static void upsertAll(Handle handle, Dialect dialect, String appId, Collection<Endpoint> endpoints) {
        try (PreparedStatement upsert = handle.getConnection().prepareStatement(
                dialect == Dialect.POSTGRESQL ? POSTGRESQL_UPSERT : SQLITE_UPSERT)) {
            for (Endpoint endpoint : endpoints) {
                int i = 0;
                upsert.setString(++i, appId);
                upsert.setString(++i, endpoint.key());
                upsert.setString(++i, endpoint.id());
                upsert.setString(++i, endpoint.channelType());
                upsert.setString(++i, endpoint.address());
                upsert.setString(++i, endpoint.status());
                upsert.setString(++i, endpoint.optOut());
                upsert.setString(++i, endpoint.requestId());
                upsert.setString(++i, endpoint.userId());
                upsert.setInt(++i, endpoint.cohortId());
                upsert.setLong(++i, endpoint.createdMs());
                upsert.setLong(++i, endpoint.modifiedMs());
                upsert.setString(++i, endpoint.effectiveDate());
                upsert.setLong(++i, endpoint.effectiveMs());
                upsert.setString(++i, text(endpoint.demographic(), "Timezone"));
                upsert.setString(++i, text(endpoint.location(), "Country"));
                upsert.setString(++i, text(endpoint.location(), "PostalCode"));
                setDouble(upsert, ++i, endpoint.location().get("Latitude"));
                setDouble(upsert, ++i, endpoint.location().get("Longitude"));
                upsert.setString(++i, write(endpoint.attributes()));
                upsert.setString(++i, write(endpoint.userAttributes()));
                upsert.setString(++i, write(endpoint.metrics()));
                upsert.setString(++i, write(endpoint.demographic()));
                upsert.setString(++i, write(endpoint.location()));
                upsert.addBatch();
            }
            upsert.executeBatch();
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    private static void setDouble(PreparedStatement statement, int index, JsonNode value) throws SQLException {
        if (value != null && value.isNumber()) {
            statement.setDouble(index, value.doubleValue());
        } else {
            statement.setNull(index, Types.DOUBLE);
        }
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

    /**
     * A row as EndpointResponse JSON, members in {@link Endpoint#response}'s order, the stored JSON columns copied as
     * they are (they were written from checked JSON trees).
     */
    static byte[] encodeResponse(ResultSet rs, String appId) throws SQLException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
            json.writeStartObject();
            writeText(json, "Address", rs.getString("address"));
            json.writeStringField("ApplicationId", appId);
            writeRaw(json, "Attributes", rs.getString("attributes"));
            writeText(json, "ChannelType", rs.getString("channel_type"));
            json.writeStringField("CohortId", Integer.toString(rs.getInt("cohort_id")));
            json.writeStringField("CreationDate", WireTime.format(Instant.ofEpochMilli(rs.getLong("created_ms"))));
            writeRaw(json, "Demographic", rs.getString("demographic"));
            json.writeStringField("EffectiveDate", rs.getString("effective_date"));
            json.writeStringField("EndpointStatus", rs.getString("endpoint_status"));
            json.writeStringField("Id", rs.getString("id"));
            writeRaw(json, "Location", rs.getString("location"));
            writeRaw(json, "Metrics", rs.getString("metrics"));
            writeText(json, "OptOut", rs.getString("opt_out"));
            writeText(json, "RequestId", rs.getString("request_id"));
            String userId = rs.getString("user_id");
            String userAttributes = rs.getString("user_attributes");
            if (userId != null || !isEmptyObject(userAttributes)) {
                json.writeObjectFieldStart("User");
                writeRaw(json, "UserAttributes", userAttributes);
                writeText(json, "UserId", userId);
                json.writeEndObject();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeText(JsonGenerator json, String name, String value) throws IOException {
        if (value != null) {
            json.writeStringField(name, value);
        }
    }

    private static void writeRaw(JsonGenerator json, String name, String stored) throws IOException {
        if (!isEmptyObject(stored)) {
            json.writeFieldName(name);
            json.writeRawValue(stored);
        }
    }

    /** Whether a JSON column holds nothing to answer: null (how an empty object is written) or {@code {}}. */
    private static boolean isEmptyObject(String stored) {
        return stored == null || stored.isBlank() || stored.strip().equals("{}");
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
}
