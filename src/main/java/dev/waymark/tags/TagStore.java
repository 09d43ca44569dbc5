package dev.waymark.tags;

import java.util.Collection;
import java.util.Map;

/** Tags of apps, journeys, segments and message templates, by resource id. */
public interface TagStore {
    Map<String, String> get(String resourceId);

    /** What {@link #put} did. */
    enum PutResult { PUT, NO_SUCH_RESOURCE, TOO_MANY }

    /**
     * Adds or overwrites tags of the app, or of its journey or segment, in one transaction that locks that
     * resource's row: writes nothing when it no longer exists or would have more than {@code max}.
     */
    PutResult put(dev.waymark.wire.Arns.Resource resource, Map<String, String> tags, int max);

    void remove(String resourceId, Collection<String> keys);
}
