package dev.waymark.audience;

import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The event types, attribute keys and metric keys an app has used, each kind under its own per-app quota
 * (Pinpoint's: 1,500 custom event types, 500 attribute keys, 500 metric keys). Not thread-safe: a copy per request.
 */
final class EventNames {
    /** A kind of name, its code in the registry table, and its quota per app. */
    enum Kind {
        TYPE("T", 1500, "custom event types"),
        ATTRIBUTE("A", 500, "event attribute keys"),
        METRIC("M", 500, "event metric keys");

        final String code;
        final int quota;
        final String description;

        Kind(String code, int quota, String description) {
            this.code = code;
            this.quota = quota;
            this.description = description;
        }

        static Kind of(String code) {
            for (Kind kind : values()) {
                if (kind.code.equals(code)) {
                    return kind;
                }
            }
            throw new IllegalStateException("unknown event name kind " + code);
        }
    }

    private final Map<Kind, Set<String>> names = new EnumMap<>(Kind.class);

    EventNames() {
        for (Kind kind : Kind.values()) {
            names.put(kind, new HashSet<>());
        }
    }

    EventNames copy() {
        EventNames copy = new EventNames();
        names.forEach((kind, set) -> copy.names.get(kind).addAll(set));
        return copy;
    }

    boolean contains(Kind kind, String name) {
        return names.get(kind).contains(name);
    }

    int count(Kind kind) {
        return names.get(kind).size();
    }

    void add(Kind kind, String name) {
        names.get(kind).add(name);
    }

    /** Whether this set holds every name the event uses (its type, attribute keys and metric keys). */
    boolean holdsAllOf(EventDraft event) {
        return contains(Kind.TYPE, event.eventType())
                && names.get(Kind.ATTRIBUTE).containsAll(event.attributes().keySet())
                && names.get(Kind.METRIC).containsAll(event.metrics().keySet());
    }

    /** Calls {@code action} with every name of this set that {@code other} does not hold. */
    void forEachNotIn(EventNames other, java.util.function.BiConsumer<Kind, String> action) {
        names.forEach((kind, set) -> set.stream().filter(name -> !other.contains(kind, name))
                .forEach(name -> action.accept(kind, name)));
    }

    /** How many names in all, for weighing a cached set. */
    int size() {
        return names.values().stream().mapToInt(Set::size).sum();
    }
}
