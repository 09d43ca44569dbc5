package dev.waymark.store;

import java.util.Collection;
import java.util.Map;

/** Tags of apps and journeys, by resource id. */
public interface TagStore {
    Map<String, String> get(String resourceId);

    /** Adds or overwrites tags; writes nothing and returns false when the resource would have more than {@code max}. */
    boolean put(String resourceId, Map<String, String> tags, int max);

    void remove(String resourceId, Collection<String> keys);
}
