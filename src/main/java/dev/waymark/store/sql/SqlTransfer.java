package dev.waymark.store.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;

/**
 * Moves everything a store holds to another store, of either dialect, as JSON lines: one
 * {@code {"table": …, "row": {…}}} per row, tables in an order that keeps references valid. db-scheduler's
 * executions are not moved: the run scheduler's sweep recreates them from the journeys' wake-up times.
 */
public final class SqlTransfer {
    /** In dependency order. */
    static final List<String> TABLES = List.of("settings", "apps", "journeys", "journey_runs", "tags", "access_keys");
    /** SQLite keeps booleans as integers; PostgreSQL wants them as booleans. */
    private static final Set<String> BOOLEAN_COLUMNS = Set.of("admin", "read_only");
    private static final ObjectMapper JSON = new ObjectMapper();

    private SqlTransfer() {}

    /** How many rows an export of the store writes. */
    public static long rowCount(SqlStore store) {
        return store.jdbi().withHandle(handle -> {
            long rows = 0;
            for (String table : TABLES) {
                rows += handle.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one();
            }
            return rows;
        });
    }

    /** Writes every row, calling {@code onRow} after each; returns the count per table. */
    public static Map<String, Integer> export(SqlStore store, Writer out, Runnable onRow) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        store.jdbi().useTransaction(handle -> {
            for (String table : TABLES) {
                int[] count = {0};
                handle.createQuery("SELECT * FROM " + table).mapToMap().useStream(rows -> rows.forEach(row -> {
                    ObjectNode line = JSON.createObjectNode();
                    line.put("table", table);
                    line.set("row", JSON.valueToTree(normalise(row)));
                    write(out, line.toString() + "\n");
                    count[0]++;
                    onRow.run();
                }));
                counts.put(table, count[0]);
            }
        });
        return counts;
    }

    /** Whether the store holds any app, journey or key (a fresh store holds only its settings). */
    public static boolean isEmpty(SqlStore store) {
        return store.jdbi().withHandle(handle -> {
            for (String table : List.of("apps", "journeys", "journey_runs", "tags", "access_keys")) {
                if (handle.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one() > 0) {
                    return false;
                }
            }
            return true;
        });
    }

    /**
     * Reads rows written by {@link #export} in one transaction, calling {@code onRow} after each; rows already there
     * (same key) are replaced.
     */
    public static Map<String, Integer> importFrom(SqlStore store, BufferedReader in, Runnable onRow) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        TABLES.forEach(table -> counts.put(table, 0));
        store.jdbi().useTransaction(handle -> {
            String text;
            int lineNumber = 0;
            while ((text = readLine(in)) != null) {
                lineNumber++;
                if (text.isBlank()) {
                    continue;
                }
                JsonNode line = parse(text, lineNumber);
                String table = line.path("table").asText();
                if (!TABLES.contains(table) || !line.path("row").isObject()) {
                    throw new IllegalArgumentException("line " + lineNumber + " is not a Waymark export row");
                }
                insert(handle, table, line.get("row"));
                counts.merge(table, 1, Integer::sum);
                onRow.run();
            }
        });
        return counts;
    }

    private static void insert(Handle handle, String table, JsonNode row) {
        List<String> columns = new ArrayList<>();
        row.fieldNames().forEachRemaining(columns::add);
        String key = table.equals("tags") ? "resource_id = :resource_id AND tag_key = :tag_key"
                : table.equals("settings") ? "name = :name"
                : table.equals("journey_runs") ? "run_id = :run_id" : "id = :id";
        Update delete = handle.createUpdate("DELETE FROM " + table + " WHERE " + key);
        Update insert = handle.createUpdate("INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", columns.stream().map(column -> ":" + column).toList()) + ")");
        for (String column : columns) {
            Object value = toJava(column, row.get(column));
            // Every nullable column is a BIGINT time; PostgreSQL needs the type of a NULL.
            Class<?> type = value == null ? Long.class : value.getClass();
            insert.bindByType(column, value, type);
            if (key.contains(":" + column)) {
                delete.bindByType(column, value, type);
            }
        }
        delete.execute();
        insert.execute();
    }

    private static Object toJava(String column, JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (BOOLEAN_COLUMNS.contains(column)) {
            return value.isBoolean() ? value.booleanValue() : value.asLong() != 0;
        }
        return value.isIntegralNumber() ? (Object) value.longValue() : value.asText();
    }

    /** Column names lower-case, values as JSON can hold them (booleans stay booleans, numbers numbers). */
    private static Map<String, Object> normalise(Map<String, Object> row) {
        Map<String, Object> normal = new LinkedHashMap<>();
        row.forEach((column, value) -> normal.put(column.toLowerCase(java.util.Locale.ROOT),
                BOOLEAN_COLUMNS.contains(column) && value instanceof Number number ? number.intValue() != 0 : value));
        return normal;
    }

    private static JsonNode parse(String text, int lineNumber) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("line " + lineNumber + " is not JSON: " + e.getMessage());
        }
    }

    private static String readLine(BufferedReader in) {
        try {
            return in.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Writer out, String text) {
        try {
            out.write(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
