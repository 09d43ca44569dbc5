package dev.waymark.audience;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.waymark.rules.RuleViolation;
import dev.waymark.wire.Json;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the records of one piece of an import, CSV (a header row, then one endpoint a row) or newline-delimited JSON
 * (one EndpointBatchItem object a line), each with the line it starts on. A record that cannot become an item comes
 * with its reason and its neighbours go on; a file that cannot be read on (bad UTF-8, broken quoting, a bad header)
 * ends with an IOException whose message names the line.
 */
final class ImportReader implements Closeable {
    /** The longest record read, in characters; an endpoint is at most 15 KB in Pinpoint. */
    static final int MAX_RECORD_CHARS = 256 * 1024;

    private static final CsvFactory CSV = CsvFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_RECORD_CHARS).build())
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .build();

    /** One record: the item, or why the record is not one. */
    record Row(long line, ObjectNode item, String error) {}

    private final BufferedReader reader;
    private final CsvParser csv;
    private ImportColumns columns;
    private long line;

    private ImportReader(BufferedReader reader, CsvParser csv) {
        this.reader = reader;
        this.csv = csv;
    }

    /** A reader of {@code format} (CSV or JSON) over the piece; for CSV the header row is read at once. */
    static ImportReader open(InputStream in, String format) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)), 65536);
        if (!format.equals("CSV")) {
            return new ImportReader(reader, null);
        }
        CsvParser parser = CSV.createParser(reader);
        ImportReader importReader = new ImportReader(reader, parser);
        try {
            List<String> header = importReader.csvRow();
            if (header == null) {
                importReader.columns = ImportColumns.of(List.of());
                return importReader;
            }
            importReader.columns = ImportColumns.of(header);
        } catch (RuleViolation e) {
            importReader.close();
            throw new IOException("line 1: " + e.getMessage());
        }
        return importReader;
    }

    /** Skips records already imported (a resumed job); false when the piece has fewer. */
    boolean skip(long records) throws IOException {
        for (long i = 0; i < records; i++) {
            if (next() == null) {
                return false;
            }
        }
        return true;
    }

    /** The next record, or null at the end of the piece. */
    Row next() throws IOException {
        return csv != null ? nextCsv() : nextJson();
    }

    private Row nextCsv() throws IOException {
        List<String> row;
        long at;
        try {
            row = csvRow();
            at = line;
        } catch (RuleViolation e) {
            return new Row(line, null, e.getMessage());
        }
        if (row == null) {
            return null;
        }
        try {
            return new Row(at, columns.item(row), null);
        } catch (RuleViolation e) {
            return new Row(at, null, e.getMessage());
        }
    }

    /**
     * One CSV row's values, or null at the end. A row past the size limits is read to its end and refused with a
     * RuleViolation (its values are not kept); {@link #line} is the line the row starts on.
     */
    private List<String> csvRow() throws IOException {
        try {
            JsonToken token = csv.nextToken();
            if (token == null) {
                return null;
            }
            if (token != JsonToken.START_ARRAY) {
                throw new IOException("line " + location() + ": unexpected CSV content");
            }
            line = -1;
            List<String> values = new ArrayList<>();
            long chars = 0;
            String tooLarge = null;
            while ((token = csv.nextToken()) != JsonToken.END_ARRAY) {
                if (token == null) {
                    throw new IOException("line " + line + ": the file ends inside a row");
                }
                if (line < 0) {
                    line = csv.currentTokenLocation().getLineNr();
                }
                String value = csv.getText();
                chars += value.length();
                if (values.size() >= ImportColumns.MAX_COLUMNS) {
                    tooLarge = "the row has more than " + ImportColumns.MAX_COLUMNS + " values";
                } else if (chars > MAX_RECORD_CHARS) {
                    tooLarge = "the row is longer than " + MAX_RECORD_CHARS + " characters";
                }
                if (tooLarge == null) {
                    values.add(value);
                }
            }
            if (line < 0) {
                line = location();
            }
            if (tooLarge != null) {
                throw new RuleViolation(tooLarge);
            }
            return values;
        } catch (JsonProcessingException e) {
            throw new IOException("line " + location() + ": the CSV cannot be read on: " + e.getOriginalMessage());
        }
    }

    private long location() {
        return csv.currentLocation().getLineNr();
    }

    private Row nextJson() throws IOException {
        while (true) {
            StringBuilder text = new StringBuilder();
            boolean tooLong = false;
            int c;
            while ((c = reader.read()) != -1 && c != '\n') {
                if (text.length() < MAX_RECORD_CHARS) {
                    text.append((char) c);
                } else {
                    tooLong = true;
                }
            }
            if (c == -1 && text.isEmpty() && !tooLong) {
                return null;
            }
            line++;
            if (tooLong) {
                return new Row(line, null, "the line is longer than " + MAX_RECORD_CHARS + " characters");
            }
            if (text.toString().isBlank()) {
                continue;
            }
            try {
                JsonNode node = Json.MAPPER.readTree(text.toString());
                if (node == null || !node.isObject()) {
                    return new Row(line, null, "the line is not a JSON object (an EndpointBatchItem)");
                }
                return new Row(line, (ObjectNode) node, null);
            } catch (JsonProcessingException e) {
                return new Row(line, null, "the line is not valid JSON: " + e.getOriginalMessage());
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (csv != null) {
                csv.close();
            }
        } finally {
            reader.close();
        }
    }
}
