package dev.waymark.audience;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.rules.RuleViolation;
import dev.waymark.wire.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The header row of a Pinpoint endpoint CSV and how each row becomes an EndpointBatchItem: {@code ChannelType},
 * {@code Address}, {@code Id}, {@code EndpointStatus}, {@code OptOut}, {@code EffectiveDate}, {@code RequestId},
 * {@code User.UserId}, {@code Attributes.X}, {@code User.UserAttributes.X}, {@code Metrics.X} (a number),
 * {@code Demographic.X} and {@code Location.X} ({@code Latitude} and {@code Longitude} numbers). An empty cell leaves
 * its member out; a column named twice gives an attribute several values.
 */
final class ImportColumns {
    /** Columns one file may have; Pinpoint allows 250 attribute names per app, plus the fixed members. */
    static final int MAX_COLUMNS = 300;
    /** The longest column name: an attribute name is at most 50 characters, with its prefix. */
    static final int MAX_NAME_CHARS = 100;

    private static final Set<String> TOP = Set.of("ChannelType", "Address", "Id", "EndpointStatus", "OptOut",
            "EffectiveDate", "RequestId");
    private static final Set<String> DEMOGRAPHIC = Set.of("AppVersion", "Locale", "Make", "Model", "ModelVersion",
            "Platform", "PlatformVersion", "Timezone");
    private static final Set<String> LOCATION = Set.of("City", "Country", "Latitude", "Longitude", "PostalCode",
            "Region");

    private enum Kind { TOP, USER_ID, ATTRIBUTE, USER_ATTRIBUTE, METRIC, DEMOGRAPHIC, LOCATION, LOCATION_NUMBER }

    private record Column(String header, Kind kind, String name) {}

    private final List<Column> columns;

    private ImportColumns(List<Column> columns) {
        this.columns = columns;
    }

    /** Reads the header row; a column Pinpoint does not know is a RuleViolation naming it. */
    static ImportColumns of(List<String> header) {
        if (header.size() > MAX_COLUMNS) {
            throw new RuleViolation("the header has more than " + MAX_COLUMNS + " columns");
        }
        List<Column> columns = new ArrayList<>();
        for (String raw : header) {
            String name = raw.strip();
            if (name.length() > MAX_NAME_CHARS) {
                throw new RuleViolation("a column name is longer than " + MAX_NAME_CHARS + " characters");
            }
            columns.add(column(name));
        }
        return new ImportColumns(columns);
    }

    private static Column column(String header) {
        if (TOP.contains(header)) {
            return new Column(header, Kind.TOP, header);
        }
        if (header.equals("User.UserId")) {
            return new Column(header, Kind.USER_ID, "UserId");
        }
        String[][] prefixes = {{"User.UserAttributes.", "USER_ATTRIBUTE"}, {"Attributes.", "ATTRIBUTE"},
                {"Metrics.", "METRIC"}, {"Demographic.", "DEMOGRAPHIC"}, {"Location.", "LOCATION"}};
        for (String[] prefix : prefixes) {
            if (header.startsWith(prefix[0]) && header.length() > prefix[0].length()) {
                String name = header.substring(prefix[0].length());
                Kind kind = Kind.valueOf(prefix[1]);
                if (kind == Kind.DEMOGRAPHIC && !DEMOGRAPHIC.contains(name)
                        || kind == Kind.LOCATION && !LOCATION.contains(name)) {
                    break;
                }
                if (kind == Kind.LOCATION && (name.equals("Latitude") || name.equals("Longitude"))) {
                    kind = Kind.LOCATION_NUMBER;
                }
                return new Column(header, kind, name);
            }
        }
        throw new RuleViolation("unknown column '" + header + "': columns are ChannelType, Address, Id, "
                + "EndpointStatus, OptOut, EffectiveDate, RequestId, User.UserId, Attributes.NAME, "
                + "User.UserAttributes.NAME, Metrics.NAME, Demographic.MEMBER and Location.MEMBER");
    }

    /** One row as an EndpointBatchItem; a RuleViolation names the column whose value cannot be read. */
    ObjectNode item(List<String> row) {
        if (row.size() > columns.size()) {
            throw new RuleViolation("the row has " + row.size() + " values but the header " + columns.size()
                    + " columns");
        }
        ObjectNode item = Json.MAPPER.createObjectNode();
        for (int i = 0; i < row.size(); i++) {
            String value = row.get(i);
            if (value == null || value.isEmpty()) {
                continue;
            }
            Column column = columns.get(i);
            switch (column.kind()) {
                case TOP -> item.put(column.name(), value);
                case USER_ID -> object(item, "User").put("UserId", value);
                case ATTRIBUTE -> values(object(item, "Attributes"), column.name()).add(value);
                case USER_ATTRIBUTE -> values(object(object(item, "User"), "UserAttributes"), column.name()).add(value);
                case METRIC -> object(item, "Metrics").put(column.name(), number(column, value));
                case DEMOGRAPHIC -> object(item, "Demographic").put(column.name(), value);
                case LOCATION -> object(item, "Location").put(column.name(), value);
                case LOCATION_NUMBER -> object(item, "Location").put(column.name(), number(column, value));
            }
        }
        return item;
    }

    private static double number(Column column, String value) {
        try {
            double number = Double.parseDouble(value.strip());
            if (Double.isFinite(number)) {
                return number;
            }
        } catch (NumberFormatException e) {
            // Said below, with the column's name.
        }
        throw new RuleViolation(column.header() + " must be a number, not '"
                + (value.length() > 40 ? value.substring(0, 40) + "…" : value) + "'");
    }

    private static ObjectNode object(ObjectNode parent, String member) {
        return parent.has(member) ? (ObjectNode) parent.get(member) : parent.putObject(member);
    }

    private static ArrayNode values(ObjectNode parent, String member) {
        return parent.has(member) ? (ArrayNode) parent.get(member) : parent.putArray(member);
    }
}
