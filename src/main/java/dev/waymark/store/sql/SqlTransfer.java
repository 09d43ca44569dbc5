package dev.waymark.store.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;

/**
 * Moves everything a store holds to another store, of either dialect, as JSON lines: one
 * {@code {"table": …, "row": {…}}} per row, tables in an order that keeps references valid, and a last line
 * {@code {"trailer": {"rows": {table: count}, "sha256": hex}}} over every byte before it, so that a truncated or
 * altered file is refused. db-scheduler's executions are not moved: the run scheduler's sweep recreates them from
 * the journeys' wake-up times.
 */
public final class SqlTransfer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SqlTransfer() {}

    /** How many rows an export of the store writes. */
    public static long rowCount(SqlStore store) {
        return store.jdbi().withHandle(handle -> {
            long rows = 0;
            for (TransferTable table : TransferTable.ALL) {
                rows += table.count(handle);
            }
            return rows;
        });
    }

    /**
     * Writes every row, read from one snapshot that holds no write lock, calling {@code onRow} after each, then the
     * trailer; returns the count per table.
     */
    public static Map<String, Integer> export(SqlStore store, OutputStream out, Runnable onRow) {
        MessageDigest digest = sha256();
        Map<String, Integer> counts = new LinkedHashMap<>();
        store.inSnapshot(handle -> {
            for (TransferTable table : TransferTable.ALL) {
                int[] count = {0};
                handle.createQuery(table.select()).map((rs, ctx) -> table.read(rs)).useStream(rows ->
                        rows.forEach(row -> {
                            ObjectNode line = JSON.createObjectNode();
                            line.put("table", table.name());
                            line.set("row", JSON.valueToTree(row));
                            byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
                            digest.update(bytes);
                            write(out, bytes);
                            count[0]++;
                            onRow.run();
                        }));
                counts.put(table.name(), count[0]);
            }
            return null;
        });
        ObjectNode trailer = JSON.createObjectNode();
        trailer.putObject("trailer").<ObjectNode>set("rows", JSON.valueToTree(counts))
                .put("sha256", HexFormat.of().formatHex(digest.digest()));
        write(out, (trailer + "\n").getBytes(StandardCharsets.UTF_8));
        return counts;
    }

    /** Whether the store holds any app, journey or key (a fresh store holds only its settings). */
    public static boolean isEmpty(SqlStore store) {
        return store.jdbi().withHandle(handle -> {
            for (String table : List.of("apps", "journeys", "journey_runs", "tags", "access_keys")) {
                if (TransferTable.named(table).count(handle) > 0) {
                    return false;
                }
            }
            return true;
        });
    }

    /**
     * Reads a file written by {@link #export} in one transaction, calling {@code onRow} after each row. A row whose
     * key is already in the store is updated, and nothing is ever deleted. Refuses (and commits nothing from) a file
     * whose trailer is missing or does not match what came before it, and any table or column it does not know.
     */
    public static Map<String, Integer> importFrom(SqlStore store, BufferedReader in, Runnable onRow) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        TransferTable.ALL.forEach(table -> counts.put(table.name(), 0));
        store.jdbi().useTransaction(handle -> {
            MessageDigest digest = sha256();
            Map<String, Update> upserts = new LinkedHashMap<>();
            String pending = null;
            int lineNumber = 0;
            String text;
            while ((text = readLine(in)) != null) {
                if (pending != null) {
                    // Not the last line, so a row: the trailer is the last line of the file.
                    importRow(handle, store.dialect(), upserts, pending, lineNumber, counts);
                    digest.update((pending + "\n").getBytes(StandardCharsets.UTF_8));
                    onRow.run();
                }
                pending = text;
                lineNumber++;
            }
            checkTrailer(pending, digest, counts);
            adjustCounters(handle);
        });
        return counts;
    }

    private static void importRow(Handle handle, Dialect dialect, Map<String, Update> upserts, String text, int lineNumber,
                                  Map<String, Integer> counts) {
        JsonNode line = parse(text, lineNumber);
        TransferTable table = TransferTable.named(line.path("table").asText());
        if (table == null || !line.path("row").isObject() || line.size() != 2) {
            throw new IllegalArgumentException("line " + lineNumber + " is not a Waymark export row");
        }
        Update upsert = upserts.computeIfAbsent(table.name(), name -> handle.createUpdate(table.upsert(dialect)));
        table.bind(upsert, line.get("row"), lineNumber);
        upsert.execute();
        counts.merge(table.name(), 1, Integer::sum);
    }

    private static void checkTrailer(String last, MessageDigest digest, Map<String, Integer> counts) {
        JsonNode trailer = last == null ? null : parseOrNull(last).path("trailer");
        if (trailer == null || !trailer.isObject()) {
            throw new IllegalArgumentException("the file ends without the trailer 'waymark export' writes last: it "
                    + "is truncated or not an export; nothing was imported");
        }
        String expected = HexFormat.of().formatHex(digest.digest());
        if (!expected.equals(trailer.path("sha256").asText())) {
            throw new IllegalArgumentException("the file's SHA-256 does not match its trailer: it was changed or "
                    + "damaged after export; nothing was imported");
        }
        if (!JSON.valueToTree(counts).equals(trailer.path("rows"))) {
            throw new IllegalArgumentException("the file's row counts do not match its trailer; nothing was imported");
        }
    }

    /** Counters at least the largest position in use, so that no merged item's position is handed out again. */
    private static void adjustCounters(Handle handle) {
        handle.createUpdate("UPDATE apps SET last_journey_seq = "
                + "(SELECT MAX(seq) FROM journeys WHERE journeys.app_id = apps.id) "
                + "WHERE last_journey_seq < (SELECT COALESCE(MAX(seq), 0) FROM journeys WHERE journeys.app_id = apps.id)")
                .execute();
        handle.createUpdate("UPDATE apps SET last_segment_seq = "
                + "(SELECT MAX(seq) FROM segments WHERE segments.app_id = apps.id) "
                + "WHERE last_segment_seq < (SELECT COALESCE(MAX(seq), 0) FROM segments WHERE segments.app_id = apps.id)")
                .execute();
        handle.createUpdate("UPDATE sequences SET last_value = (SELECT COALESCE(MAX(seq), 0) FROM apps) "
                + "WHERE name = 'apps' AND last_value < (SELECT COALESCE(MAX(seq), 0) FROM apps)").execute();
    }

    private static JsonNode parse(String text, int lineNumber) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("line " + lineNumber + " is not JSON: " + e.getMessage());
        }
    }

    private static JsonNode parseOrNull(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            return node == null ? JSON.missingNode() : node;
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static String readLine(BufferedReader in) {
        try {
            return in.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(OutputStream out, byte[] bytes) {
        try {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
