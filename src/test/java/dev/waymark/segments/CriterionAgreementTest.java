package dev.waymark.segments;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The property at the heart of segments: for random definitions over random, adversarial endpoints (odd attribute
 * names, almost-dates, missing fields, extreme metrics, points near a range's edge, events at a window's edge,
 * IMPORT members), the members the SQL selects are exactly the endpoints EndpointMatcher accepts, on SQLite and on
 * PostgreSQL. The seed is printed with any failure; {@code -Dsegments.seed=N} replays one.
 */
class CriterionAgreementTest {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int ENDPOINTS = 200;
    private static final int DEFINITIONS = 300;
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private static final String[] NAMES = {"plan", "a.b", "q\"uote", "$", "[0]", "$.x", "é名", "back\\slash",
            "sp ace", "\u0007bell", "it's", "PLAN"};
    private static final String[] USER_NAMES = {"tier", "t.x", "t\"q"};
    private static final String[] METRIC_NAMES = {"score", "m.x", "q\"m", "$"};
    private static final String[] WORDS = {"gold", "Gold", "silver", "old", "", "gol", "ü", "名前", "a'b", "%", "_"};
    private static final String[] ALMOST_DATES = {"2025-02-30T00:00:00Z", "2025-01-01", "2025-01-01T00:00:00+02:00",
            "2025-01-01T00:00:00z", "2025-01-01t00:00:00Z", "2025-01-01T00:00:00.Z", "2025-01-01T00:00:00.1234567890Z",
            "2024-02-29T12:00:00Z", "2023-02-29T12:00:00Z", "2025-01-01T24:00:00Z", "2025-01-01T23:59:60Z",
            "2025-13-01T00:00:00Z", "2025-00-10T00:00:00Z", "2025-01-00T00:00:00Z", " 2025-01-01T00:00:00Z",
            "2025-01-01T00:00:00Z\n", "٢٠٢٥-01-01T00:00:00Z", "2025-01-01T00:60:00Z", "0000-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z", "2000-02-29T00:00:00Z", "2025-04-31T00:00:00Z", "2025-01-01T00:00:00ZZ"};
    private static final double[] METRICS = {0, -0.0, -1, 1, 2.5, 1e300, -1e300, Double.MAX_VALUE, Double.MIN_VALUE,
            123456789, 0.1, 0.30000000000000004, -2.5e-8};
    private static final String[] COUNTRIES = {"US", "us", "FR", "Us", "DE"};
    private static final String[] CHANNELS = {"EMAIL", "SMS", "PUSH", "GCM", "APNS"};
    private static final String[] DEMOGRAPHICS = {"AppVersion", "Make", "Model", "Platform", "Channel", "DeviceType"};
    private static final String[] DEMOGRAPHIC_VALUES = {"1.0", "1.0.1", "Apple", "apple", "ios", "android", "X"};
    private static final double[][] CENTRES = {{47.6, -122.3}, {0, 179.9}, {89.9, 10}, {-33.9, 151.2}};
    private static final double[] RANGES = {0.5, 10, 100, 1000, 20_015, 20_038};
    private static final String[] DURATIONS = {"HR_24", "DAY_7", "DAY_14", "DAY_30"};

    private final Map<String, List<StoredSegment>> segments = new HashMap<>();
    private SegmentTestStore store;
    private Random random;

    @AfterEach
    void close() throws Exception {
        if (store != null) {
            store.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void sqlAndJavaSelectTheSameMembers(String kind) throws Exception {
        long seed = Long.getLong("segments.seed", System.nanoTime());
        random = new Random(seed);
        store = SegmentTestStore.open(kind);
        List<ObjectNode> items = new ArrayList<>();
        for (int i = 0; i < ENDPOINTS; i++) {
            items.add(endpoint(i));
        }
        store.write(items);
        for (ObjectNode item : items) {
            String id = item.get("Id").textValue();
            for (int e = random.nextInt(4) - 1; e > 0; e--) {
                store.event(id, "ev" + e, eventTime());
            }
            if (random.nextInt(3) == 0) {
                store.imported("imp1", id.toUpperCase(java.util.Locale.ROOT));
            }
        }
        store.imported("imp1", "nobody-here");
        List<ObjectNode> endpoints = new ArrayList<>();
        for (ObjectNode item : items) {
            endpoints.add(store.store.endpoints().find(SegmentTestStore.APP, item.get("Id").textValue())
                    .orElseThrow());
        }
        storeSources();
        CriterionReader reader = new CriterionReader((appId, id, version) -> Optional.ofNullable(segments.get(id))
                .flatMap(versions -> {
                    int wanted = version.orElse(versions.size());
                    return wanted <= versions.size() ? Optional.of(versions.get(wanted - 1)) : Optional.empty();
                }));
        int split = 0;
        for (int d = 0; d <= DEFINITIONS; d++) {
            ObjectNode definition = d == 0 ? hundredDimensions() : definition();
            SegmentRules.check(definition);
            Criterion criterion = reader.read(SegmentTestStore.APP, definition);
            int pageSize = 7 + random.nextInt(60);
            List<String> selected = store.selected(criterion, NOW, pageSize);
            List<String> matched = store.matched(criterion, endpoints, NOW);
            if (!new TreeSet<>(selected).equals(new TreeSet<>(matched))) {
                throw new AssertionError(disagreement(kind, seed, definition, criterion, selected, matched, endpoints));
            }
            split += selected.isEmpty() || selected.size() == ENDPOINTS ? 0 : 1;
        }
        // The property says little if most definitions select everyone or no one.
        if (split < DEFINITIONS / 3) {
            throw new AssertionError("only " + split + " of " + DEFINITIONS + " definitions split the endpoints (seed "
                    + seed + ")");
        }
    }

    private String disagreement(String kind, long seed, ObjectNode definition, Criterion criterion,
                                List<String> selected, List<String> matched, List<ObjectNode> endpoints) {
        TreeSet<String> onlySql = new TreeSet<>(selected);
        onlySql.removeAll(matched);
        TreeSet<String> onlyJava = new TreeSet<>(matched);
        onlyJava.removeAll(selected);
        StringBuilder message = new StringBuilder("SQL and Java disagree on " + kind + " (seed " + seed
                + ", replay with -Dsegments.seed=" + seed + ")\ndefinition: " + definition + "\ncriterion: "
                + criterion + "\nSQL: " + store.sql.compile(criterion, NOW) + "\nonly SQL selects: " + onlySql
                + "\nonly Java accepts: " + onlyJava);
        for (ObjectNode endpoint : endpoints) {
            if (onlySql.contains(endpoint.get("Id").textValue()) || onlyJava.contains(endpoint.get("Id").textValue())) {
                message.append("\n  ").append(endpoint);
            }
        }
        return message.toString();
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    // ---- endpoints ----

    private ObjectNode endpoint(int i) {
        ObjectNode item = JSON.objectNode().put("Id", (i % 2 == 0 ? "Ep-" : "ep-") + i);
        item.put("ChannelType", pick(CHANNELS)).put("Address", "address-" + i);
        ObjectNode location = JSON.objectNode();
        if (random.nextInt(4) > 0) {
            location.put("Country", pick(COUNTRIES));
        }
        if (random.nextInt(5) > 0) {
            double[] point = point();
            if (random.nextInt(10) > 0) {
                location.put("Latitude", point[0]);
            }
            if (random.nextInt(10) > 0) {
                location.put("Longitude", point[1]);
            }
        }
        if (!location.isEmpty()) {
            item.set("Location", location);
        }
        ObjectNode demographic = JSON.objectNode();
        for (String member : new String[] {"AppVersion", "Make", "Model", "Platform"}) {
            if (random.nextBoolean()) {
                demographic.put(member, pick(DEMOGRAPHIC_VALUES));
            }
        }
        if (!demographic.isEmpty()) {
            item.set("Demographic", demographic);
        }
        ObjectNode attributes = attributes(NAMES);
        if (!attributes.isEmpty()) {
            item.set("Attributes", attributes);
        }
        ObjectNode user = attributes(USER_NAMES);
        if (!user.isEmpty()) {
            item.set("User", JSON.objectNode().put("UserId", "user-" + random.nextInt(50)).set("UserAttributes", user));
        }
        ObjectNode metrics = JSON.objectNode();
        for (String name : METRIC_NAMES) {
            if (random.nextInt(3) > 0) {
                metrics.put(name, metric());
            }
        }
        if (!metrics.isEmpty()) {
            item.set("Metrics", metrics);
        }
        return item;
    }

    private ObjectNode attributes(String[] names) {
        ObjectNode attributes = JSON.objectNode();
        for (String name : names) {
            if (random.nextInt(3) == 0) {
                continue;
            }
            ArrayNode values = attributes.putArray(name);
            for (int v = random.nextInt(4); v > 0; v--) {
                values.add(attributeValue());
            }
        }
        return attributes;
    }

    private String attributeValue() {
        return switch (random.nextInt(4)) {
            case 0 -> pick(WORDS);
            case 1 -> pick(ALMOST_DATES);
            default -> instant();
        };
    }

    /** A valid instant near the first days of 2025, with 0 to 9 fraction digits, so that bounds are often close. */
    private String instant() {
        Instant at = Instant.parse("2024-12-31T23:59:58Z").plusSeconds(random.nextInt(4) * (random.nextBoolean() ? 1
                : 86_400)).plusNanos(random.nextBoolean() ? 0 : random.nextInt(1_000_000_000));
        String text = at.toString();
        String whole = text.substring(0, 19);
        int digits = random.nextInt(10);
        String nanos = String.format("%09d", at.getNano());
        return whole + (digits == 0 ? "" : "." + nanos.substring(0, digits)) + "Z";
    }

    private double metric() {
        return switch (random.nextInt(3)) {
            case 0 -> METRICS[random.nextInt(METRICS.length)];
            case 1 -> random.nextInt(11) - 5;
            default -> (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(40) - 20);
        };
    }

    /** A point just inside or just outside one of the ranges around one of the centres, or anywhere. */
    private double[] point() {
        if (random.nextInt(4) == 0) {
            return new double[] {random.nextDouble() * 180 - 90, random.nextDouble() * 360 - 180};
        }
        double[] centre = CENTRES[random.nextInt(CENTRES.length)];
        double range = RANGES[random.nextInt(RANGES.length)];
        // Along the meridian the great-circle distance is the latitude difference: put it 1e-6 inside or outside.
        double degrees = Math.toDegrees(range / CriterionSql.EARTH_RADIUS_KM) * (random.nextBoolean() ? 1 - 1e-6
                : 1 + 1e-6);
        double latitude = centre[0] + (random.nextBoolean() ? degrees : -degrees);
        return latitude < -90 || latitude > 90 ? new double[] {centre[0], centre[1]}
                : new double[] {latitude, centre[1]};
    }

    private Instant eventTime() {
        Duration window = Duration.ofHours(switch (pick(DURATIONS)) {
            case "HR_24" -> 24;
            case "DAY_7" -> 24 * 7;
            case "DAY_14" -> 24 * 14;
            default -> 24 * 30;
        });
        return switch (random.nextInt(3)) {
            case 0 -> NOW.minus(window);
            case 1 -> NOW.minus(window).minusMillis(1);
            default -> NOW.minusSeconds(random.nextInt(40 * 86_400));
        };
    }

    // ---- definitions ----

    private void storeSources() {
        segments.put("s1", List.of(stored("s1", 1, dimensionsDefinition()), stored("s1", 2, dimensionsDefinition())));
        segments.put("s2", List.of(stored("s2", 1, dimensionsDefinition())));
        ObjectNode groups = JSON.objectNode();
        groups.set("SegmentGroups", JSON.objectNode().put("Include", "ANY").set("Groups", JSON.arrayNode()
                .add(JSON.objectNode().put("SourceType", "NONE").set("SourceSegments", JSON.arrayNode()
                        .add(JSON.objectNode().put("Id", "s2"))))));
        segments.put("s3", List.of(stored("s3", 1, groups)));
        segments.put("imp1", List.of(new StoredSegment(SegmentTestStore.APP, "imp1", 1, StoredSegment.IMPORT,
                JSON.objectNode().put("Name", "imported"), Instant.EPOCH, Instant.EPOCH)));
    }

    private static StoredSegment stored(String id, int version, ObjectNode definition) {
        return new StoredSegment(SegmentTestStore.APP, id, version, StoredSegment.DIMENSIONAL, definition,
                Instant.EPOCH, Instant.EPOCH);
    }

    private ObjectNode definition() {
        return random.nextInt(3) == 0 ? groupsDefinition() : dimensionsDefinition();
    }

    private ObjectNode dimensionsDefinition() {
        ObjectNode definition = JSON.objectNode().put("Name", "random");
        definition.set("Dimensions", dimensions(1 + random.nextInt(4)));
        return definition;
    }

    private ObjectNode groupsDefinition() {
        ObjectNode list = JSON.objectNode();
        combination(list, "Include");
        ArrayNode groups = list.putArray("Groups");
        for (int g = 1 + random.nextInt(3); g > 0; g--) {
            ObjectNode group = groups.addObject();
            combination(group, "Type");
            combination(group, "SourceType");
            ArrayNode dimensions = group.putArray("Dimensions");
            for (int d = random.nextInt(4); d > 0; d--) {
                dimensions.add(dimensions(random.nextInt(3)));
            }
            if (random.nextBoolean()) {
                ArrayNode sources = group.putArray("SourceSegments");
                for (int s = 1 + random.nextInt(2); s > 0; s--) {
                    String id = pick(new String[] {"s1", "s2", "s3", "imp1"});
                    ObjectNode source = sources.addObject().put("Id", id);
                    if (id.equals("s1") && random.nextBoolean()) {
                        source.put("Version", 1);
                    }
                }
            }
        }
        ObjectNode definition = JSON.objectNode().put("Name", "random");
        definition.set("SegmentGroups", list);
        return definition;
    }

    private void combination(ObjectNode node, String member) {
        int choice = random.nextInt(4);
        if (choice < 3) {
            node.put(member, new String[] {"ALL", "ANY", "NONE"}[choice]);
        }
    }

    private ObjectNode dimensions(int count) {
        ObjectNode dimensions = JSON.objectNode();
        for (int i = 0; i < count; i++) {
            switch (random.nextInt(7)) {
                case 0, 1 -> attribute(child(dimensions, "Attributes"), pick(NAMES));
                case 2 -> attribute(child(dimensions, "UserAttributes"), pick(USER_NAMES));
                case 3 -> metric(child(dimensions, "Metrics"), pick(METRIC_NAMES));
                case 4 -> child(dimensions, "Behavior").set("Recency", JSON.objectNode().put("Duration", pick(DURATIONS))
                        .put("RecencyType", random.nextBoolean() ? "ACTIVE" : "INACTIVE"));
                case 5 -> set(child(dimensions, "Demographic"), pick(DEMOGRAPHICS), DEMOGRAPHIC_VALUES);
                default -> location(child(dimensions, "Location"));
            }
        }
        return dimensions;
    }

    private void attribute(ObjectNode map, String name) {
        String type = pick(new String[] {"INCLUSIVE", "EXCLUSIVE", "CONTAINS", "BEFORE", "AFTER", "ON", "BETWEEN",
                null});
        ObjectNode dimension = map.putObject(name);
        if (type != null) {
            dimension.put("AttributeType", type);
        }
        ArrayNode values = dimension.putArray("Values");
        int count = switch (type == null ? "INCLUSIVE" : type) {
            case "BEFORE", "AFTER", "ON" -> 1;
            case "BETWEEN" -> 2;
            default -> random.nextInt(4);
        };
        boolean dates = count > 0 && (type != null && List.of("BEFORE", "AFTER", "ON", "BETWEEN").contains(type));
        for (int v = 0; v < count; v++) {
            values.add(dates ? instant() : random.nextInt(4) == 0 ? substring() : attributeValue());
        }
    }

    private String substring() {
        String word = pick(WORDS);
        int start = word.isEmpty() ? 0 : random.nextInt(word.length());
        return word.substring(start, start + (word.length() == start ? 0 : random.nextInt(word.length() - start)));
    }

    private void metric(ObjectNode map, String name) {
        map.putObject(name).put("ComparisonOperator", pick(SegmentRules.COMPARISONS.toArray(String[]::new)))
                .put("Value", metric());
    }

    private void set(ObjectNode parent, String member, String[] pool) {
        ObjectNode dimension = parent.putObject(member);
        if (random.nextBoolean()) {
            dimension.put("DimensionType", random.nextBoolean() ? "INCLUSIVE" : "EXCLUSIVE");
        }
        ArrayNode values = dimension.putArray("Values");
        for (int v = random.nextInt(4); v > 0; v--) {
            values.add(pick(pool));
        }
    }

    private void location(ObjectNode location) {
        if (random.nextBoolean()) {
            set(location, "Country", COUNTRIES);
            return;
        }
        double[] centre = CENTRES[random.nextInt(CENTRES.length)];
        ObjectNode gps = location.putObject("GPSPoint");
        gps.putObject("Coordinates").put("Latitude", centre[0]).put("Longitude", centre[1]);
        if (random.nextInt(5) > 0) {
            gps.put("RangeInKilometers", RANGES[random.nextInt(RANGES.length)]);
        }
    }

    /** A definition at the limit: exactly 100 dimensions. */
    private ObjectNode hundredDimensions() {
        ObjectNode dimensions = JSON.objectNode();
        for (String name : NAMES) {
            attribute(child(dimensions, "Attributes"), name);
        }
        for (int i = NAMES.length; i < 60; i++) {
            child(dimensions, "Attributes").putObject("extra" + i).put("AttributeType", "EXCLUSIVE")
                    .putArray("Values").add("v" + i);
        }
        for (String name : USER_NAMES) {
            attribute(child(dimensions, "UserAttributes"), name);
        }
        for (int i = 0; i < 28; i++) {
            metric(child(dimensions, "Metrics"), i < METRIC_NAMES.length ? METRIC_NAMES[i] : "metric" + i);
        }
        for (String member : DEMOGRAPHICS) {
            ObjectNode dimension = child(dimensions, "Demographic").putObject(member).put("DimensionType", "EXCLUSIVE");
            dimension.putArray("Values").add("nothing");
        }
        child(dimensions, "Location").putObject("GPSPoint").put("RangeInKilometers", 20_038).putObject("Coordinates")
                .put("Latitude", 0).put("Longitude", 0);
        child(dimensions, "Location").putObject("Country").put("DimensionType", "EXCLUSIVE").putArray("Values")
                .add("ZZ");
        child(dimensions, "Behavior").putObject("Recency").put("Duration", "DAY_30").put("RecencyType", "INACTIVE");
        // 60 + 3 + 28 + 6 + 2 + 1 = 100
        ObjectNode definition = JSON.objectNode().put("Name", "hundred");
        definition.set("Dimensions", dimensions);
        return definition;
    }

    private static ObjectNode child(ObjectNode node, String name) {
        return node.has(name) ? (ObjectNode) node.get(name) : node.putObject(name);
    }
}
