package dev.waymark.audience;

import java.util.List;

/**
 * Told of the events each PutEvents request recorded, after they are committed: the engine admits endpoints into
 * event-started journeys from here. An event already recorded (a retried request) is not told again.
 */
@FunctionalInterface
public interface AcceptedEvents {
    /** Listens to nothing: the default until the engine listens. */
    AcceptedEvents NONE = (appId, events) -> { };

    /** The events newly recorded for the app by one request, in the order of the request; never empty. */
    void accepted(String appId, List<EventRecord> events);

    /** Tells each listener in turn. */
    static AcceptedEvents all(List<AcceptedEvents> listeners) {
        List<AcceptedEvents> copy = List.copyOf(listeners);
        return (appId, events) -> copy.forEach(listener -> listener.accepted(appId, events));
    }
}
