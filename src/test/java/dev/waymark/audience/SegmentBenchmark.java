package dev.waymark.audience;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.segments.SegmentBenchCriteria;
import dev.waymark.store.sql.Dialect;
import dev.waymark.store.sql.SqlStore;
import dev.waymark.wire.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The segment benchmark's measuring half (bench/run_segments.py seeds the store and runs this): on a store of the
 * seeded app, counts and streams in keyset pages the members of the three-dimension segment, as a journey or
 * an export job reads them, and prints one JSON line per figure and per query plan. Not a test (no *Test name):
 * {@code java -Xmx256m -cp target/classes:target/test-classes:target/waymark-0.1.0-SNAPSHOT.jar
 * dev.waymark.audience.SegmentBenchmark --db-url URL --app ID [--page-sizes 1000,5000] [--rounds 2] [--explain true]};
 * {@code -Dsegbench.sqlOnly=true} also times the page queries alone (each row's key only, no EndpointResponse).
 */
public final class SegmentBenchmark {
    /** The countries of the two segments: ~10 % and ~50 % of the seeded endpoints. */
    private static final Map<String, List<String>> SEGMENTS = Map.of("FR", List.of("FR"),
            "US+FR", List.of("US", "FR"));

    private SegmentBenchmark() {
    }

    public static void main(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String app = options.get("app");
        boolean explain = Boolean.parseBoolean(options.getOrDefault("explain", "false"));
        List<Integer> pageSizes = new ArrayList<>();
        for (String size : options.getOrDefault("page-sizes", "1000,5000").split(",")) {
            pageSizes.add(Integer.parseInt(size.strip()));
        }
        long opening = System.nanoTime();
        try (SqlStore store = SqlStore.open(options.get("db-url"))) {
            print(Map.of("what", "open and migrate", "seconds", seconds(opening)));
            // Round 1 is the first read of a fresh JVM (the JIT still compiling the row mapping); round 2 is a
            // server's steady state, the same reads again.
            int rounds = Integer.parseInt(options.getOrDefault("rounds", "2"));
            for (int round = 1; round <= rounds; round++) {
                for (String segment : List.of("FR", "US+FR")) {
                    EndpointFilter filter = filter(store.dialect(), app, SEGMENTS.get(segment));
                    measure(store, app, segment, filter, pageSizes, explain && round == rounds, round);
                }
            }
        }
    }

    private static void measure(SqlStore store, String app, String segment, EndpointFilter filter,
                                List<Integer> pageSizes, boolean explain, int round) {
        EndpointStore endpoints = store.endpoints();
        long started = System.nanoTime();
        double cpu = cpu();
        double sys = sys();
        long members = endpoints.count(app, filter);
        print(Map.of("round", round, "segment", segment, "what", "count", "members", members,
                "seconds", seconds(started), "cpu_s", cpu() - cpu, "sys_s", sys() - sys));
        for (int size : pageSizes) {
            started = System.nanoTime();
            cpu = cpu();
            sys = sys();
            long streamed = 0;
            int pages = 0;
            Optional<String> after = Optional.empty();
            while (true) {
                List<ObjectNode> page = endpoints.page(app, filter, after, size);
                pages++;
                streamed += page.size();
                if (page.size() < size) {
                    break;
                }
                after = Optional.of(endpoints.key(page.get(page.size() - 1).get("Id").textValue()));
            }
            if (streamed != members) {
                throw new IllegalStateException("streamed " + streamed + " members but counted " + members);
            }
            print(Map.of("round", round, "segment", segment, "what", "stream, pages of " + size, "members", streamed,
                    "pages", pages, "seconds", seconds(started), "cpu_s", cpu() - cpu, "sys_s", sys() - sys));
        }
        if (Boolean.getBoolean("segbench.sqlOnly")) {
            sqlOnly(store, app, segment, filter, pageSizes.get(0), round);
        }
        if (explain) {
            plan(store, app, segment, "count", SqlEndpointStore.countSql(filter), filter, Map.of());
            plan(store, app, segment, "first page", SqlEndpointStore.pageSql(filter, false), filter,
                    Map.of("limit", pageSizes.get(0)));
            plan(store, app, segment, "a later page", SqlEndpointStore.pageSql(filter, true), filter,
                    Map.of("limit", pageSizes.get(0), "after", "ep000500000"));
        }
    }

    /** The same pages read with their SQL alone (only the key of each row): what the query costs without mapping. */
    private static void sqlOnly(SqlStore store, String app, String segment, EndpointFilter filter, int size,
                                int round) {
        long started = System.nanoTime();
        double cpu = cpu();
        long streamed = 0;
        String after = null;
        while (true) {
            String from = after;
            List<String> keys = store.jdbi().withHandle(handle -> {
                var query = handle.createQuery(SqlEndpointStore.pageSql(filter, from != null));
                if (from != null) {
                    query.bind("after", from);
                }
                return query.bindMap(filter.binds()).bind("app", app).bind("limit", size)
                        .map((rs, ctx) -> EndpointRules.key(rs.getString("id"))).list();
            });
            streamed += keys.size();
            if (keys.size() < size) {
                break;
            }
            after = keys.get(keys.size() - 1);
        }
        print(Map.of("round", round, "segment", segment, "what", "SQL alone, pages of " + size, "members", streamed,
                "seconds", seconds(started), "cpu_s", cpu() - cpu));
    }

    /**
     * The segment, compiled by the segments' own compiler: Attributes.interests INCLUSIVE [sports, music],
     * Metrics.score GREATER_THAN 50 and Location.Country INCLUSIVE {@code countries}, as CreateSegment's Dimensions.
     */
    static EndpointFilter filter(Dialect dialect, String app, List<String> countries) {
        ObjectNode definition = (ObjectNode) Json.parseStored("{\"Dimensions\":{"
                + "\"Attributes\":{\"interests\":{\"AttributeType\":\"INCLUSIVE\",\"Values\":[\"sports\",\"music\"]}},"
                + "\"Metrics\":{\"score\":{\"ComparisonOperator\":\"GREATER_THAN\",\"Value\":50}},"
                + "\"Location\":{\"Country\":{\"DimensionType\":\"INCLUSIVE\",\"Values\":"
                + Json.MAPPER.valueToTree(countries) + "}}}}");
        return SegmentBenchCriteria.compile(dialect, app, definition, Instant.now());
    }

    private static void plan(SqlStore store, String app, String segment, String what, String sql,
                             EndpointFilter filter, Map<String, Object> more) {
        boolean postgresql = store.dialect() == Dialect.POSTGRESQL;
        List<String> plan = store.jdbi().withHandle(handle -> handle.createQuery(
                        (postgresql ? "EXPLAIN (ANALYZE, BUFFERS) " : "EXPLAIN QUERY PLAN ") + sql)
                .bindMap(filter.binds()).bindMap(more).bind("app", app)
                .map((rs, ctx) -> postgresql ? rs.getString(1)
                        : "id " + rs.getInt("id") + " parent " + rs.getInt("parent") + ": " + rs.getString("detail"))
                .list());
        print(Map.of("segment", segment, "what", what, "sql", sql, "plan", plan));
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /** System CPU seconds of the whole JVM so far (page faults of the mapped database file show here). */
    private static double sys() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[12]) / 100.0;
        } catch (java.io.IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** CPU seconds of the whole JVM so far (SQLite runs in the calling thread; JIT and GC threads count too). */
    private static double cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    private static void print(Map<String, Object> figure) {
        try {
            System.out.println(Json.MAPPER.writeValueAsString(figure));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
