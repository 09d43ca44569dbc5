package dev.waymark.wire;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One node of the Pinpoint wire model: what JSON a member may hold. */
public sealed interface Shape {

    /** The model's name for this shape, used in tests that compare it with the service model. */
    String name();

    /** The scalar kinds of the model; a BLOB travels as a base64 string. */
    enum Kind { STRING, INTEGER, BOOLEAN, DOUBLE, TIMESTAMP, BLOB }

    /** A string, integer, boolean, double, date-time or blob value. */
    record Scalar(String name, Kind kind) implements Shape {}

    /** A string restricted to a fixed set of values. */
    record Enumeration(String name, Set<String> values) implements Shape {
        public Enumeration(String name, String... values) {
            this(name, Set.copyOf(List.of(values)));
        }
    }

    /** A JSON array whose elements all have one shape. */
    record ListOf(String name, Shape member) implements Shape {}

    /** A JSON object used as a map: free keys of one shape, values of another. */
    record MapOf(String name, Shape key, Shape value) implements Shape {}

    /** A JSON object with named members; keys are the wire names. */
    record Structure(String name, Map<String, Member> members) implements Shape {
        public Structure(String name, Member... members) {
            this(name, index(members));
        }

        private static Map<String, Member> index(Member[] members) {
            Map<String, Member> byWireKey = new LinkedHashMap<>();
            for (Member member : members) {
                byWireKey.put(member.wireKey(), member);
            }
            return java.util.Collections.unmodifiableMap(byWireKey);
        }
    }

    /** A member of a structure: its model name, its JSON key, its shape, and whether it is required. */
    record Member(String name, String wireKey, Shape shape, boolean required) {
        public static Member optional(String name, Shape shape) {
            return new Member(name, name, shape, false);
        }

        public static Member required(String name, Shape shape) {
            return new Member(name, name, shape, true);
        }

        /** A member whose JSON key differs from its name (the model's jsonName trait). */
        public static Member renamed(String name, String wireKey, Shape shape, boolean required) {
            return new Member(name, wireKey, shape, required);
        }
    }
}
