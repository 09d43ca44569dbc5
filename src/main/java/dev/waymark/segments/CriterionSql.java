package dev.waymark.segments;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.waymark.audience.EndpointFilter;
import dev.waymark.audience.EndpointTable;
import dev.waymark.segments.Criterion.AllOf;
import dev.waymark.segments.Criterion.AnyOf;
import dev.waymark.segments.Criterion.Attribute;
import dev.waymark.segments.Criterion.AttributeSource;
import dev.waymark.segments.Criterion.Field;
import dev.waymark.segments.Criterion.FieldIn;
import dev.waymark.segments.Criterion.Metric;
import dev.waymark.segments.Criterion.Near;
import dev.waymark.segments.Criterion.Not;
import dev.waymark.store.sql.Dialect;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compiles a {@link Criterion} into an {@link EndpointFilter} for SQLite or PostgreSQL: SQL over only what
 * {@link EndpointTable} offers, every value of the definition (attribute and metric names included) a bound
 * parameter. Every part is TRUE or FALSE, never NULL, so that NOT means what {@link EndpointMatcher} means; and no
 * stored data can make it fail (no cast of a value that was not checked first). What it computes is exactly what
 * {@link EndpointMatcher} computes: the property test compares them.
 */
final class CriterionSql {
    /** The Earth's mean radius in kilometres (IUGG), for great-circle distances. */
    static final double EARTH_RADIUS_KM = 6371.0088;
    /** Degrees to radians, as {@link Math#toRadians} multiplies. */
    static final double RADIANS_PER_DEGREE = 0.017453292519943295;

    private final Dialect dialect;

    CriterionSql(Dialect dialect) {
        this.dialect = dialect;
    }

    /** The filter selecting the endpoints that meet {@code criterion} at {@code now}. */
    EndpointFilter compile(Criterion criterion, Instant now) {
        Compilation compilation = new Compilation(dialect == Dialect.POSTGRESQL, now);
        String sql = compilation.sql(criterion);
        return new EndpointFilter(sql, compilation.binds);
    }

    /** How costly a part is to test, so that AND and OR lists test cheap columns before JSON and subqueries. */
    static int cost(Criterion criterion) {
        if (criterion instanceof FieldIn in) {
            return in.field() == Field.COUNTRY || in.field() == Field.CHANNEL_TYPE ? 1 : 3;
        }
        if (criterion instanceof Not not) {
            return cost(not.part());
        }
        if (criterion instanceof Near) {
            return 2;
        }
        if (criterion instanceof Metric) {
            return 3;
        }
        if (criterion instanceof Attribute) {
            return 4;
        }
        if (criterion instanceof AllOf || criterion instanceof AnyOf) {
            return 5;
        }
        if (criterion instanceof Criterion.ActiveWithin || criterion instanceof Criterion.ImportedInto) {
            return 6;
        }
        return 0;
    }

    /**
     * Whether SQLite can address a JSON member by the path {@code $."name"}: its path syntax has no escapes, and a
     * name that the stored JSON spells with an escape may not compare equal. Other names are found with json_each.
     */
    static boolean plainName(String name) {
        return name.chars().noneMatch(c -> c == '"' || c == '\\' || c < 0x20);
    }

    /** The great-circle test's bound: a point is within {@code kilometers} when the haversine term is at most it. */
    static double haversineBound(double kilometers) {
        double half = Math.sin(kilometers / (2 * EARTH_RADIUS_KM));
        return half * half;
    }

    /** Whether every point on Earth is within {@code kilometers} (half the circumference or more). */
    static boolean coversEarth(double kilometers) {
        return kilometers / (2 * EARTH_RADIUS_KM) >= Math.PI / 2;
    }

    /** One compilation: its parameters, named f0, f1, ... in order. */
    private static final class Compilation {
        final boolean postgres;
        final Instant now;
        final Map<String, Object> binds = new HashMap<>();
        private final Map<String, String> shared = new HashMap<>();

        Compilation(boolean postgres, Instant now) {
            this.postgres = postgres;
            this.now = now;
        }

        /** Binds a value; the parameter reference (":fN"). */
        String bind(Object value) {
            String name = "f" + binds.size();
            binds.put(name, value);
            return ":" + name;
        }

        /** Binds a constant once per compilation. */
        String constant(String value) {
            return shared.computeIfAbsent(value, this::bind);
        }

        String sql(Criterion criterion) {
            if (criterion instanceof Criterion.Everyone) {
                return "1 = 1";
            }
            if (criterion instanceof Criterion.Nobody) {
                return "1 = 0";
            }
            if (criterion instanceof AllOf all) {
                return joined(all.parts(), " AND ", "1 = 1");
            }
            if (criterion instanceof AnyOf any) {
                return joined(any.parts(), " OR ", "1 = 0");
            }
            if (criterion instanceof Not not) {
                return "NOT (" + sql(not.part()) + ")";
            }
            if (criterion instanceof Criterion.ActiveWithin active) {
                return EndpointTable.hasEventSince(bind(now.minus(active.window()).toEpochMilli()).substring(1));
            }
            if (criterion instanceof Criterion.ImportedInto imported) {
                return EndpointTable.importedInto(bind(imported.segmentId()).substring(1));
            }
            if (criterion instanceof FieldIn in) {
                return field(in);
            }
            if (criterion instanceof Metric metric) {
                return metric(metric);
            }
            if (criterion instanceof Near near) {
                return near(near);
            }
            if (criterion instanceof Attribute attribute) {
                return attribute(attribute);
            }
            throw new IllegalArgumentException("unknown criterion " + criterion);
        }

        private String joined(List<Criterion> parts, String operator, String empty) {
            if (parts.isEmpty()) {
                return empty;
            }
            List<String> compiled = parts.stream().sorted(Comparator.comparingInt(CriterionSql::cost))
                    .map(part -> "(" + sql(part) + ")").toList();
            return balanced(compiled, operator, 0, compiled.size());
        }

        /**
         * {@code parts[from, to)} joined by {@code operator} as a balanced tree, in order: a flat chain of a thousand
         * terms is a thousand deep to SQLite's parser, past its limit on expression depth (1,000); halves keep the
         * depth to the logarithm of the count, and the cheap parts still come first.
         */
        private static String balanced(List<String> parts, String operator, int from, int to) {
            if (to - from == 1) {
                return parts.get(from);
            }
            if (to - from == 2) {
                return parts.get(from) + operator + parts.get(from + 1);
            }
            int middle = (from + to) >>> 1;
            return "(" + balanced(parts, operator, from, middle) + ")" + operator + "("
                    + balanced(parts, operator, middle, to) + ")";
        }

        /** {@code expression} is one of the values: never NULL when {@code expression} is not. */
        private String in(String expression, List<String> values) {
            if (values.isEmpty()) {
                return "1 = 0";
            }
            if (values.size() == 1) {
                return expression + " = " + bind(values.get(0));
            }
            String array = bind(jsonArray(values));
            return expression + (postgres ? " IN (SELECT jsonb_array_elements_text(CAST(" + array + " AS jsonb)))"
                    : " IN (SELECT value FROM json_each(" + array + "))");
        }

        private String field(FieldIn in) {
            String column = switch (in.field()) {
                case COUNTRY -> EndpointTable.COUNTRY;
                case CHANNEL_TYPE -> EndpointTable.CHANNEL_TYPE;
                default -> null;
            };
            if (column != null) {
                return "(" + column + " IS NOT NULL AND " + in(column, in.values()) + ")";
            }
            String member = switch (in.field()) {
                case APP_VERSION -> "AppVersion";
                case MAKE -> "Make";
                case MODEL -> "Model";
                case PLATFORM -> "Platform";
                default -> null;
            };
            if (member == null) {
                return "1 = 0";
            }
            String demographic = EndpointTable.DEMOGRAPHIC;
            return postgres
                    ? "CASE WHEN jsonb_typeof(" + demographic + " -> '" + member + "') = 'string' THEN "
                            + in("(" + demographic + " ->> '" + member + "')", in.values()) + " ELSE FALSE END"
                    : "CASE WHEN json_type(" + demographic + ", '$." + member + "') = 'text' THEN "
                            + in("json_extract(" + demographic + ", '$." + member + "')", in.values())
                            + " ELSE FALSE END";
        }

        private String metric(Metric metric) {
            String operator = switch (metric.comparison()) {
                case GREATER_THAN -> " > ";
                case LESS_THAN -> " < ";
                case GREATER_THAN_OR_EQUAL -> " >= ";
                case LESS_THAN_OR_EQUAL -> " <= ";
                case EQUAL -> " = ";
            };
            String metrics = EndpointTable.METRICS;
            String value = bind(metric.value());
            if (postgres) {
                String key = "CAST(" + bind(metric.name()) + " AS text)";
                return "CASE WHEN jsonb_typeof(" + metrics + " -> " + key + ") = 'number' THEN CAST(" + metrics
                        + " ->> " + key + " AS double precision)" + operator + value + " ELSE FALSE END";
            }
            if (plainName(metric.name())) {
                String path = bind(path(metric.name()));
                return "CASE WHEN json_type(" + metrics + ", " + path + ") IN ('integer', 'real') THEN CAST(json_extract("
                        + metrics + ", " + path + ") AS REAL)" + operator + value + " ELSE FALSE END";
            }
            return "EXISTS (SELECT 1 FROM json_each(" + metrics + ") m WHERE m.key = " + bind(metric.name())
                    + " AND m.type IN ('integer', 'real') AND CAST(m.value AS REAL)" + operator + value + ")";
        }

        private String near(Near near) {
            String present = "(" + EndpointTable.LATITUDE + " IS NOT NULL AND " + EndpointTable.LONGITUDE
                    + " IS NOT NULL";
            if (CriterionSql.coversEarth(near.kilometers())) {
                return present + ")";
            }
            String k = bind(RADIANS_PER_DEGREE);
            double latitude = near.latitude() * RADIANS_PER_DEGREE;
            String dLat = "sin((" + EndpointTable.LATITUDE + " * " + k + " - " + bind(latitude) + ") / 2)";
            String dLon = "sin((" + EndpointTable.LONGITUDE + " * " + k + " - "
                    + bind(near.longitude() * RADIANS_PER_DEGREE) + ") / 2)";
            return present + " AND " + dLat + " * " + dLat + " + " + bind(Math.cos(latitude)) + " * cos("
                    + EndpointTable.LATITUDE + " * " + k + ") * " + dLon + " * " + dLon + " <= "
                    + bind(haversineBound(near.kilometers())) + ")";
        }

        private String attribute(Attribute attribute) {
            String column = attribute.source() == AttributeSource.ENDPOINT_ATTRIBUTES ? EndpointTable.ATTRIBUTES
                    : EndpointTable.USER_ATTRIBUTES;
            String test = switch (attribute.test()) {
                case INCLUSIVE -> in("x.t", attribute.values());
                case CONTAINS -> contains(attribute.values());
                case BEFORE -> instant("x.t", keyed(attribute.values(), 0).map(key -> " < " + bind(key)));
                case AFTER -> instant("x.t", keyed(attribute.values(), 0).map(key -> " > " + bind(key)));
                case ON -> keyed(attribute.values(), 0).map(key -> instantDate("x.t", IsoInstants.date(key)))
                        .orElse("1 = 0");
                case BETWEEN -> between(attribute.values());
            };
            return "EXISTS (SELECT 1 FROM " + values(column, attribute.name()) + " WHERE " + test + ")";
        }

        /** A derived table {@code x(t)} of the attribute's string values. */
        private String values(String column, String name) {
            if (postgres) {
                String member = column + " -> CAST(" + bind(name) + " AS text)";
                return "(SELECT v.j #>> '{}' AS t FROM jsonb_array_elements(CASE WHEN jsonb_typeof(" + member
                        + ") = 'array' THEN " + member + " END) AS v(j) WHERE jsonb_typeof(v.j) = 'string') x";
            }
            if (plainName(name)) {
                return "(SELECT v.value AS t FROM json_each(" + column + ", " + bind(path(name))
                        + ") v WHERE typeof(v.key) = 'integer' AND v.type = 'text') x";
            }
            return "(SELECT v.value AS t FROM json_each((SELECT a.value FROM json_each(" + column + ") a WHERE a.key = "
                    + bind(name) + " AND a.type = 'array')) v WHERE v.type = 'text') x";
        }

        private String contains(List<String> values) {
            if (values.size() == 1) {
                return (postgres ? "strpos(x.t, " : "instr(x.t, ") + bind(values.get(0)) + ") > 0";
            }
            String array = bind(jsonArray(values));
            return postgres
                    ? "EXISTS (SELECT 1 FROM jsonb_array_elements_text(CAST(" + array + " AS jsonb)) AS w(s) WHERE "
                            + "strpos(x.t, w.s) > 0)"
                    : "EXISTS (SELECT 1 FROM json_each(" + array + ") w WHERE instr(x.t, w.value) > 0)";
        }

        private String between(List<String> values) {
            return betweenKeys(values).map(bounds -> instant("x.t", Optional.of(" >= " + bind(bounds.get(0))))
                    + " AND " + instant("x.t", Optional.of(" <= " + bind(bounds.get(1))))).orElse("1 = 0");
        }

        /** TRUE when {@code t} is an instant (IsoInstants) whose key compares so; FALSE for any other text. */
        private String instant(String t, Optional<String> comparison) {
            if (comparison.isEmpty()) {
                return "1 = 0";
            }
            String fraction = "CASE WHEN length(" + t + ") = 20 THEN '' ELSE substr(" + t + ", 21, length(" + t
                    + ") - 21) END";
            String key = "(substr(" + t + ", 1, 19) || substr(" + fraction + " || '000000000', 1, 9))";
            return "CASE WHEN " + shape(t) + " THEN " + ranges(t) + " AND " + key + (postgres ? " COLLATE \"C\"" : "")
                    + comparison.get() + " ELSE FALSE END";
        }

        private String instantDate(String t, String date) {
            return "CASE WHEN " + shape(t) + " THEN " + ranges(t) + " AND substr(" + t + ", 1, 10) = " + bind(date)
                    + " ELSE FALSE END";
        }

        /** Whether {@code t} has the shape of an instant (digits where digits go); no value is read before. */
        private String shape(String t) {
            if (postgres) {
                return t + " ~ " + constant(IsoInstants.SHAPE_POSIX);
            }
            return "(" + t + " GLOB " + constant(IsoInstants.WHOLE_GLOB) + " OR (" + t + " GLOB "
                    + constant(IsoInstants.FRACTION_GLOB) + " AND length(" + t + ") <= 30 AND substr(" + t
                    + ", 21, length(" + t + ") - 21) NOT GLOB " + constant("*[^0-9]*") + "))";
        }

        /** The month, the day of that month, and the time of day are in range (t has the shape already). */
        private String ranges(String t) {
            String year = "CAST(substr(" + t + ", 1, 4) AS INTEGER)";
            String month = "CAST(substr(" + t + ", 6, 2) AS INTEGER)";
            String leap = "((" + year + " % 4 = 0 AND " + year + " % 100 <> 0) OR " + year + " % 400 = 0)";
            return "(" + month + " BETWEEN 1 AND 12 AND CAST(substr(" + t + ", 9, 2) AS INTEGER) BETWEEN 1 AND CASE "
                    + month + " WHEN 2 THEN CASE WHEN " + leap + " THEN 29 ELSE 28 END WHEN 4 THEN 30 WHEN 6 THEN 30"
                    + " WHEN 9 THEN 30 WHEN 11 THEN 30 ELSE 31 END AND CAST(substr(" + t + ", 12, 2) AS INTEGER) <= 23"
                    + " AND CAST(substr(" + t + ", 15, 2) AS INTEGER) <= 59 AND CAST(substr(" + t
                    + ", 18, 2) AS INTEGER) <= 59)";
        }
    }

    /** The key of the {@code index}th value, when it is an instant (the rules let no other value be stored). */
    static Optional<String> keyed(List<String> values, int index) {
        return index < values.size() ? IsoInstants.key(values.get(index)) : Optional.empty();
    }

    /**
     * BETWEEN's bounds as keys, the earlier first, both included: the two values may come in either order. Empty
     * unless both are instants.
     */
    static Optional<List<String>> betweenKeys(List<String> values) {
        Optional<String> first = keyed(values, 0);
        Optional<String> second = keyed(values, 1);
        if (first.isEmpty() || second.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(first.get().compareTo(second.get()) <= 0 ? List.of(first.get(), second.get())
                : List.of(second.get(), first.get()));
    }

    /** SQLite's JSON path to a top-level member whose name is {@link #plainName plain}. */
    private static String path(String name) {
        return "$.\"" + name + "\"";
    }

    private static String jsonArray(List<String> values) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        values.forEach(array::add);
        return array.toString();
    }
}
