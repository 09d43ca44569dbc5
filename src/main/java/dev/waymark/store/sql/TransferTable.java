package dev.waymark.store.sql;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;

/**
 * One table an export carries, with the fixed list of columns it moves: import builds its SQL only from these
 * names, never from the file, and refuses a row whose columns differ.
 */
record TransferTable(String name, List<String> key, List<Column> columns) {
    /** What a column holds; JSON is text that PostgreSQL keeps as jsonb (null allowed). */
    enum Kind { TEXT, NULLABLE_TEXT, LONG, NULLABLE_LONG, NULLABLE_DOUBLE, BOOLEAN, JSON }

    /** A column and how an import keeps a newer value already in the store (null: the file's value wins). */
    record Column(String name, Kind kind, String onConflict) {
        Column(String name, Kind kind) {
            this(name, kind, null);
        }
    }

    /** In dependency order: a row's parent always comes before it. */
    static final List<TransferTable> ALL = List.of(
            new TransferTable("settings", List.of("name"), List.of(
                    new Column("name", Kind.TEXT), new Column("value", Kind.TEXT))),
            new TransferTable("sequences", List.of("name"), List.of(
                    new Column("name", Kind.TEXT),
                    // A counter only grows: a merge never hands out a position again.
                    new Column("last_value", Kind.LONG, greater("sequences", "last_value")))),
            new TransferTable("apps", List.of("id"), List.of(
                    new Column("id", Kind.TEXT), new Column("name", Kind.TEXT), new Column("created_ms", Kind.LONG),
                    new Column("seq", Kind.LONG),
                    new Column("last_journey_seq", Kind.LONG, greater("apps", "last_journey_seq")))),
            new TransferTable("app_settings", List.of("app_id"), List.of(
                    new Column("app_id", Kind.TEXT), new Column("document", Kind.TEXT),
                    new Column("modified_ms", Kind.LONG))),
            // Segments before their versions; apps.last_segment_seq is not carried (files written before segments
            // do not have it) but set from the positions in use after an import.
            new TransferTable("segments", List.of("app_id", "id"), List.of(
                    new Column("app_id", Kind.TEXT), new Column("id", Kind.TEXT), new Column("type", Kind.TEXT),
                    new Column("latest_version", Kind.LONG, greater("segments", "latest_version")),
                    new Column("created_ms", Kind.LONG), new Column("seq", Kind.LONG))),
            new TransferTable("segment_versions", List.of("app_id", "segment_id", "version"), List.of(
                    new Column("app_id", Kind.TEXT), new Column("segment_id", Kind.TEXT),
                    new Column("version", Kind.LONG), new Column("definition", Kind.TEXT),
                    new Column("modified_ms", Kind.LONG))),
            // Message templates (account-level) before their versions; their tags travel with the tags table.
            new TransferTable("templates", List.of("name", "type"), List.of(
                    new Column("type", Kind.TEXT), new Column("name", Kind.TEXT),
                    new Column("active_version", Kind.LONG),
                    // Version numbers are never handed out again, so the counter only grows.
                    new Column("last_version", Kind.LONG, greater("templates", "last_version")),
                    new Column("created_ms", Kind.LONG))),
            new TransferTable("template_versions", List.of("name", "type", "version"), List.of(
                    new Column("type", Kind.TEXT), new Column("name", Kind.TEXT), new Column("version", Kind.LONG),
                    new Column("definition", Kind.TEXT), new Column("created_ms", Kind.LONG),
                    new Column("modified_ms", Kind.LONG))),
            // An app's channels: non-secret settings and the names of the secrets given (never the secrets).
            new TransferTable("channels", List.of("app_id", "type"), List.of(
                    new Column("app_id", Kind.TEXT), new Column("type", Kind.TEXT),
                    new Column("enabled", Kind.BOOLEAN), new Column("settings", Kind.TEXT),
                    new Column("credentials", Kind.TEXT), new Column("version", Kind.LONG),
                    new Column("created_ms", Kind.LONG), new Column("modified_ms", Kind.LONG),
                    new Column("modified_by", Kind.NULLABLE_TEXT))),
            new TransferTable("journeys", List.of("id"), List.of(
                    new Column("id", Kind.TEXT), new Column("app_id", Kind.TEXT), new Column("name", Kind.TEXT),
                    new Column("state", Kind.TEXT), new Column("definition", Kind.TEXT),
                    new Column("created_ms", Kind.LONG), new Column("modified_ms", Kind.LONG),
                    new Column("version", Kind.LONG), new Column("next_wake_ms", Kind.NULLABLE_LONG),
                    new Column("seq", Kind.LONG))),
            new TransferTable("journey_runs", List.of("run_id"), List.of(
                    new Column("run_id", Kind.TEXT), new Column("journey_id", Kind.TEXT),
                    new Column("sequence", Kind.LONG), new Column("status", Kind.TEXT),
                    new Column("scheduled_ms", Kind.LONG), new Column("created_ms", Kind.LONG),
                    new Column("updated_ms", Kind.LONG), new Column("started_ms", Kind.NULLABLE_LONG))),
            // Execution counters after their journeys; the file's value wins, as it is the state of the moves it
            // carries (a gauge such as ENDPOINT_ACTIVE goes down too, so "greater" would be wrong).
            new TransferTable("journey_counters", List.of("app_id", "journey_id", "run_id", "activity_id",
                    "counter_key"), List.of(
                    new Column("app_id", Kind.TEXT), new Column("journey_id", Kind.TEXT),
                    new Column("run_id", Kind.TEXT), new Column("activity_id", Kind.TEXT),
                    new Column("counter_key", Kind.TEXT), new Column("value", Kind.LONG),
                    new Column("changed_ms", Kind.LONG))),
            new TransferTable("event_streams", List.of("app_id"), List.of(
                    new Column("app_id", Kind.TEXT), new Column("destination", Kind.TEXT),
                    new Column("role_arn", Kind.TEXT), new Column("updated_by", Kind.TEXT),
                    new Column("modified_ms", Kind.LONG))),
            new TransferTable("tags", List.of("resource_id", "tag_key"), List.of(
                    new Column("resource_id", Kind.TEXT), new Column("tag_key", Kind.TEXT),
                    new Column("tag_value", Kind.TEXT))),
            new TransferTable("endpoints", List.of("app_id", "id_key"), List.of(
                    new Column("app_id", Kind.TEXT), new Column("id_key", Kind.TEXT), new Column("id", Kind.TEXT),
                    new Column("channel_type", Kind.NULLABLE_TEXT), new Column("address", Kind.NULLABLE_TEXT),
                    new Column("endpoint_status", Kind.TEXT), new Column("opt_out", Kind.NULLABLE_TEXT),
                    new Column("request_id", Kind.NULLABLE_TEXT), new Column("user_id", Kind.NULLABLE_TEXT),
                    new Column("cohort_id", Kind.LONG), new Column("created_ms", Kind.LONG),
                    new Column("modified_ms", Kind.LONG), new Column("effective_date", Kind.TEXT),
                    new Column("effective_ms", Kind.LONG), new Column("timezone", Kind.NULLABLE_TEXT),
                    new Column("country", Kind.NULLABLE_TEXT), new Column("postal_code", Kind.NULLABLE_TEXT),
                    new Column("latitude", Kind.NULLABLE_DOUBLE), new Column("longitude", Kind.NULLABLE_DOUBLE),
                    new Column("attributes", Kind.JSON), new Column("user_attributes", Kind.JSON),
                    new Column("metrics", Kind.JSON), new Column("demographic", Kind.JSON),
                    new Column("location", Kind.JSON))),
            // An IMPORT segment's members, by endpoint key (an import may record members it did not register).
            new TransferTable("import_segment_members", List.of("app_id", "segment_id", "endpoint_key"), List.of(
                    new Column("app_id", Kind.TEXT), new Column("segment_id", Kind.TEXT),
                    new Column("endpoint_key", Kind.TEXT))),
            new TransferTable("endpoint_attribute_names", List.of("app_id", "kind", "name"), List.of(
                    new Column("app_id", Kind.TEXT), new Column("kind", Kind.TEXT), new Column("name", Kind.TEXT))),
            new TransferTable("endpoint_attribute_blacklist", List.of("app_id", "kind", "pattern"), List.of(
                    new Column("app_id", Kind.TEXT), new Column("kind", Kind.TEXT),
                    new Column("pattern", Kind.TEXT))),
            new TransferTable("events", List.of("app_id", "endpoint_key", "event_id"), List.of(
                    new Column("app_id", Kind.TEXT), new Column("endpoint_key", Kind.TEXT),
                    new Column("event_id", Kind.TEXT), new Column("event_type", Kind.TEXT),
                    new Column("timestamp_ms", Kind.LONG), new Column("received_ms", Kind.LONG),
                    new Column("attributes", Kind.JSON), new Column("metrics", Kind.JSON),
                    new Column("session", Kind.NULLABLE_TEXT), new Column("other", Kind.NULLABLE_TEXT))),
            new TransferTable("event_names", List.of("app_id", "kind", "name"), List.of(
                    new Column("app_id", Kind.TEXT), new Column("kind", Kind.TEXT), new Column("name", Kind.TEXT))),
            new TransferTable("access_keys", List.of("id"), List.of(
                    new Column("id", Kind.TEXT), new Column("secret", Kind.TEXT), new Column("admin", Kind.BOOLEAN),
                    new Column("apps", Kind.TEXT), new Column("read_only", Kind.BOOLEAN),
                    new Column("created_ms", Kind.LONG),
                    // A key revoked in the store stays revoked, whatever the file says.
                    new Column("revoked_ms", Kind.NULLABLE_LONG, "COALESCE(access_keys.revoked_ms, excluded.revoked_ms)"))));

    static TransferTable named(String name) {
        return ALL.stream().filter(table -> table.name.equals(name)).findFirst().orElse(null);
    }

    private static String greater(String table, String column) {
        return "CASE WHEN excluded." + column + " > " + table + "." + column + " THEN excluded." + column
                + " ELSE " + table + "." + column + " END";
    }

    String select() {
        return "SELECT " + columns.stream().map(Column::name).collect(Collectors.joining(", ")) + " FROM " + name;
    }

    /** Insert, or update the row with the same key: never a delete, so no cascade can take other rows along. */
    String upsert(Dialect dialect) {
        String names = columns.stream().map(Column::name).collect(Collectors.joining(", "));
        String values = columns.stream().map(column -> column.kind() == Kind.JSON && dialect == Dialect.POSTGRESQL
                ? "CAST(:" + column.name() + " AS jsonb)" : ":" + column.name()).collect(Collectors.joining(", "));
        String updates = columns.stream().filter(column -> !key.contains(column.name()))
                .map(column -> column.name() + " = "
                        + (column.onConflict() == null ? "excluded." + column.name() : column.onConflict()))
                .collect(Collectors.joining(", "));
        // A table whose columns are all its key has nothing to update.
        return "INSERT INTO " + name + " (" + names + ") VALUES (" + values + ") ON CONFLICT ("
                + String.join(", ", key) + ")" + (updates.isEmpty() ? " DO NOTHING" : " DO UPDATE SET " + updates);
    }

    /** The row at the cursor as JSON values: booleans as booleans whatever the dialect keeps them as. */
    Map<String, Object> read(ResultSet rs) throws SQLException {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            Object value = switch (column.kind()) {
                case TEXT, NULLABLE_TEXT, JSON -> rs.getString(i + 1);
                case LONG -> rs.getLong(i + 1);
                case NULLABLE_DOUBLE -> {
                    double number = rs.getDouble(i + 1);
                    yield rs.wasNull() ? null : number;
                }
                case NULLABLE_LONG -> {
                    long number = rs.getLong(i + 1);
                    yield rs.wasNull() ? null : number;
                }
                case BOOLEAN -> rs.getBoolean(i + 1);
            };
            row.put(column.name(), value);
        }
        return row;
    }

    /** Binds a row of the file to {@link #upsert()}, refusing any column it does not know and any it lacks. */
    void bind(Update upsert, JsonNode row, int lineNumber) {
        java.util.Set<String> names = new java.util.HashSet<>();
        row.fieldNames().forEachRemaining(names::add);
        for (String field : names) {
            if (columns.stream().noneMatch(column -> column.name().equals(field))) {
                throw new IllegalArgumentException("line " + lineNumber + ": table " + name
                        + " has no column '" + field + "'");
            }
        }
        for (Column column : columns) {
            JsonNode value = row.get(column.name());
            if (value == null) {
                throw new IllegalArgumentException("line " + lineNumber + ": column " + name + "." + column.name()
                        + " is missing");
            }
            boolean fits = switch (column.kind()) {
                case TEXT -> value.isTextual();
                case NULLABLE_TEXT, JSON -> value.isNull() || value.isTextual();
                case NULLABLE_DOUBLE -> value.isNull() || value.isNumber();
                case LONG -> value.isIntegralNumber() && value.canConvertToLong();
                case NULLABLE_LONG -> value.isNull() || value.isIntegralNumber() && value.canConvertToLong();
                case BOOLEAN -> value.isBoolean();
            };
            if (!fits) {
                throw new IllegalArgumentException("line " + lineNumber + ": column " + name + "." + column.name()
                        + " must be " + column.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
            }
            switch (column.kind()) {
                case TEXT -> upsert.bind(column.name(), value.textValue());
                case NULLABLE_TEXT, JSON -> upsert.bindByType(column.name(), value.isNull() ? null : value.textValue(),
                        String.class);
                case NULLABLE_DOUBLE -> upsert.bindByType(column.name(), value.isNull() ? null : value.doubleValue(),
                        Double.class);
                case LONG -> upsert.bind(column.name(), value.longValue());
                case NULLABLE_LONG -> upsert.bindByType(column.name(), value.isNull() ? null : value.longValue(),
                        Long.class);
                case BOOLEAN -> upsert.bind(column.name(), value.booleanValue());
            }
        }
    }

    /** Rows in this table. */
    long count(Handle handle) {
        return handle.createQuery("SELECT COUNT(*) FROM " + name).mapTo(Long.class).one();
    }
}
