package dev.waymark.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * EventDimensions against one event (engine.md E1, E2): the EventType SetDimension (INCLUSIVE or EXCLUSIVE), every
 * Attributes AttributeDimension and every Metrics MetricDimension must hold; several values of one dimension are
 * OR'ed. An absent or empty dimension holds.
 */
public final class EventFilterRules {
    private EventFilterRules() {}

    public static boolean matches(ObjectNode eventDimensions, String eventType, Map<String, String> attributes,
                                  Map<String, Double> metrics) {
        throw new UnsupportedOperationException("helper A");
    }
}
