package dev.waymark.segments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.audience.EventLog;
import dev.waymark.segments.Criterion.AllOf;
import dev.waymark.segments.Criterion.AnyOf;
import dev.waymark.segments.Criterion.Attribute;
import dev.waymark.segments.Criterion.AttributeSource;
import dev.waymark.segments.Criterion.FieldIn;
import dev.waymark.segments.Criterion.Metric;
import dev.waymark.segments.Criterion.Near;
import dev.waymark.segments.Criterion.Not;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Tests one endpoint (EndpointResponse JSON, as EndpointStore.find gives it) against a {@link Criterion} in Java, for
 * split conditions: the same answer {@link CriterionSql}'s SQL gives for that endpoint's row.
 */
final class EndpointMatcher {
    /** Whether an import job registered an endpoint (id in any case) in an IMPORT segment of the app. */
    @FunctionalInterface
    interface ImportMembers {
        /** True when the endpoint {@code endpointId} is a member of the IMPORT segment {@code segmentId}. */
        boolean contains(String appId, String segmentId, String endpointId);
    }

    private final EventLog events;
    private final ImportMembers imports;

    EndpointMatcher(EventLog events, ImportMembers imports) {
        this.events = events;
        this.imports = imports;
    }

    /** Whether {@code endpoint} meets {@code criterion} at {@code now}. */
    boolean test(String appId, Criterion criterion, ObjectNode endpoint, Instant now) {
        if (criterion instanceof Criterion.Everyone) {
            return true;
        }
        if (criterion instanceof Criterion.Nobody) {
            return false;
        }
        if (criterion instanceof AllOf all) {
            return all.parts().stream().allMatch(part -> test(appId, part, endpoint, now));
        }
        if (criterion instanceof AnyOf any) {
            return any.parts().stream().anyMatch(part -> test(appId, part, endpoint, now));
        }
        if (criterion instanceof Not not) {
            return !test(appId, not.part(), endpoint, now);
        }
        if (criterion instanceof Criterion.ActiveWithin active) {
            return !events.ofEndpoint(appId, endpoint.path("Id").asText(), now.minus(active.window()), 1).isEmpty();
        }
        if (criterion instanceof Criterion.ImportedInto imported) {
            return imports.contains(appId, imported.segmentId(), endpoint.path("Id").asText());
        }
        if (criterion instanceof FieldIn in) {
            return text(field(endpoint, in.field())).filter(in.values()::contains).isPresent();
        }
        if (criterion instanceof Metric metric) {
            return metric(endpoint.path("Metrics").get(metric.name()), metric);
        }
        if (criterion instanceof Near near) {
            return near(endpoint.path("Location"), near);
        }
        if (criterion instanceof Attribute attribute) {
            return attribute(attribute, values(endpoint, attribute));
        }
        throw new IllegalArgumentException("unknown criterion " + criterion);
    }

    private static JsonNode field(ObjectNode endpoint, Criterion.Field field) {
        return switch (field) {
            case CHANNEL_TYPE -> endpoint.get("ChannelType");
            case COUNTRY -> endpoint.path("Location").get("Country");
            case APP_VERSION -> endpoint.path("Demographic").get("AppVersion");
            case MAKE -> endpoint.path("Demographic").get("Make");
            case MODEL -> endpoint.path("Demographic").get("Model");
            case PLATFORM -> endpoint.path("Demographic").get("Platform");
            case DEVICE_TYPE -> null;
        };
    }

    private static Optional<String> text(JsonNode node) {
        return node != null && node.isTextual() ? Optional.of(node.textValue()) : Optional.empty();
    }

    private static boolean metric(JsonNode node, Metric metric) {
        if (node == null || !node.isNumber()) {
            return false;
        }
        double value = node.doubleValue();
        return switch (metric.comparison()) {
            case GREATER_THAN -> value > metric.value();
            case LESS_THAN -> value < metric.value();
            case GREATER_THAN_OR_EQUAL -> value >= metric.value();
            case LESS_THAN_OR_EQUAL -> value <= metric.value();
            case EQUAL -> value == metric.value();
        };
    }

    private static boolean near(JsonNode location, Near near) {
        JsonNode latitude = location.get("Latitude");
        JsonNode longitude = location.get("Longitude");
        if (latitude == null || !latitude.isNumber() || longitude == null || !longitude.isNumber()) {
            return false;
        }
        if (CriterionSql.coversEarth(near.kilometers())) {
            return true;
        }
        // The same operations in the same order as the SQL, so that both round alike.
        double k = CriterionSql.RADIANS_PER_DEGREE;
        double centre = near.latitude() * CriterionSql.RADIANS_PER_DEGREE;
        double dLat = Math.sin((latitude.doubleValue() * k - centre) / 2);
        double dLon = Math.sin((longitude.doubleValue() * k - near.longitude() * CriterionSql.RADIANS_PER_DEGREE) / 2);
        return dLat * dLat + Math.cos(centre) * Math.cos(latitude.doubleValue() * k) * dLon * dLon
                <= CriterionSql.haversineBound(near.kilometers());
    }

    /** The attribute's string values; none when it is missing or not a list. */
    private static List<String> values(ObjectNode endpoint, Attribute attribute) {
        JsonNode map = attribute.source() == AttributeSource.ENDPOINT_ATTRIBUTES ? endpoint.path("Attributes")
                : endpoint.path("User").path("UserAttributes");
        JsonNode list = map.get(attribute.name());
        List<String> values = new ArrayList<>();
        if (list != null && list.isArray()) {
            list.forEach(value -> {
                if (value.isTextual()) {
                    values.add(value.textValue());
                }
            });
        }
        return values;
    }

    private static boolean attribute(Attribute attribute, List<String> values) {
        List<String> wanted = attribute.values();
        return switch (attribute.test()) {
            case INCLUSIVE -> values.stream().anyMatch(wanted::contains);
            case CONTAINS -> values.stream().anyMatch(value -> wanted.stream().anyMatch(value::contains));
            case BEFORE -> CriterionSql.keyed(wanted, 0).map(bound -> values.stream().anyMatch(value ->
                    IsoInstants.key(value).filter(key -> key.compareTo(bound) < 0).isPresent())).orElse(false);
            case AFTER -> CriterionSql.keyed(wanted, 0).map(bound -> values.stream().anyMatch(value ->
                    IsoInstants.key(value).filter(key -> key.compareTo(bound) > 0).isPresent())).orElse(false);
            case ON -> CriterionSql.keyed(wanted, 0).map(bound -> values.stream().anyMatch(value ->
                    IsoInstants.key(value).filter(key -> IsoInstants.date(key).equals(IsoInstants.date(bound)))
                            .isPresent())).orElse(false);
            case BETWEEN -> between(wanted, values);
        };
    }

    private static boolean between(List<String> wanted, List<String> values) {
        return CriterionSql.betweenKeys(wanted).map(bounds -> values.stream().anyMatch(value -> IsoInstants.key(value)
                .filter(key -> key.compareTo(bounds.get(0)) >= 0 && key.compareTo(bounds.get(1)) <= 0).isPresent()))
                .orElse(false);
    }
}
