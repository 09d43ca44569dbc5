package dev.waymark.journeys;

import dev.waymark.store.Page;
import dev.waymark.store.PageCursor;
import java.util.Optional;

/** Journeys of an app. */
public interface JourneyStore {
    /** Stores a new journey; false (storing nothing) when its app no longer exists. */
    boolean insert(Journey journey);

    Optional<Journey> find(String appId, String id);

    /** Whether the app has this journey, without reading it. */
    boolean exists(String appId, String id);

    /** Journeys of one app, oldest first. */
    Page<Journey> list(String appId, Optional<PageCursor> after, int limit);

    /**
     * Replaces {@code current} with {@code next} unless someone else changed it first, and marks its runs as
     * needing the planner. Returns the stored journey
     * (with its new version), or empty when {@code current} is no longer the stored version.
     */
    Optional<Journey> replace(Journey current, Journey next);

    /** Deletes the journey with its runs and tags; false when there was no such journey. */
    boolean delete(String appId, String id);
}
