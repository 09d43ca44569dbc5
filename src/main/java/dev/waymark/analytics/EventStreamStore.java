package dev.waymark.analytics;

import java.util.Optional;

/** The event stream of each app: at most one. */
public interface EventStreamStore {
    /** Stores or replaces the app's stream; false (storing nothing) when the app does not exist. */
    boolean put(EventStream stream);

    Optional<EventStream> find(String appId);

    /** Deletes the app's stream and returns it; empty when there was none. */
    Optional<EventStream> delete(String appId);
}
