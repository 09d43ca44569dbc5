package dev.waymark.segments;

import java.time.Duration;
import java.util.List;

/**
 * A segment definition parsed once into a small predicate tree, read by both evaluators: compiled to SQL to select
 * members inside the database, and tested in Java against one endpoint (split conditions). Source segments are
 * already inlined: a tree names no other segment except an IMPORT segment's list of members.
 */
public sealed interface Criterion {
    /** Every endpoint of the app. */
    record Everyone() implements Criterion {}

    /** No endpoint. */
    record Nobody() implements Criterion {}

    /** All parts hold (an empty list holds). */
    record AllOf(List<Criterion> parts) implements Criterion {
        public AllOf {
            parts = List.copyOf(parts);
        }
    }

    /** At least one part holds (an empty list does not hold). */
    record AnyOf(List<Criterion> parts) implements Criterion {
        public AnyOf {
            parts = List.copyOf(parts);
        }
    }

    /** The part does not hold. */
    record Not(Criterion part) implements Criterion {}

    /** Where an attribute dimension reads its values. */
    enum AttributeSource { ENDPOINT_ATTRIBUTES, USER_ATTRIBUTES }

    /** AttributeDimension.AttributeType, EXCLUSIVE aside (it is {@code Not} of INCLUSIVE). */
    enum AttributeTest { INCLUSIVE, CONTAINS, BEFORE, AFTER, ON, BETWEEN }

    /**
     * An endpoint or user attribute (a list of strings) tested against {@code values}: INCLUSIVE holds when a value of
     * the attribute equals one of {@code values}; CONTAINS when one of {@code values} is a case-sensitive substring of a
     * value of the attribute; BEFORE / AFTER / ON / BETWEEN read both sides as ISO-8601 instants. A missing attribute
     * holds for nothing.
     */
    record Attribute(AttributeSource source, String name, AttributeTest test, List<String> values)
            implements Criterion {
        public Attribute {
            values = List.copyOf(values);
        }
    }

    /** MetricDimension.ComparisonOperator. */
    enum Comparison { GREATER_THAN, LESS_THAN, GREATER_THAN_OR_EQUAL, LESS_THAN_OR_EQUAL, EQUAL }

    /** The endpoint's metric {@code name} compared with {@code value}; a missing metric holds for nothing. */
    record Metric(String name, Comparison comparison, double value) implements Criterion {}

    /** An endpoint field a SetDimension tests. */
    enum Field { CHANNEL_TYPE, COUNTRY, APP_VERSION, DEVICE_TYPE, MAKE, MODEL, PLATFORM }

    /** The field equals one of {@code values} (SetDimension INCLUSIVE; EXCLUSIVE is {@code Not} of it). */
    record FieldIn(Field field, List<String> values) implements Criterion {
        public FieldIn {
            values = List.copyOf(values);
        }
    }

    /** The endpoint's Location is within {@code kilometers} (great-circle distance) of the point. */
    record Near(double latitude, double longitude, double kilometers) implements Criterion {}

    /** Behavior.Recency ACTIVE: the endpoint has an event within {@code window} before now (INACTIVE is Not). */
    record ActiveWithin(Duration window) implements Criterion {}

    /** The endpoint is in the list of members an import job registered for the IMPORT segment. */
    record ImportedInto(String segmentId) implements Criterion {}
}
