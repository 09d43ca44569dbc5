package dev.waymark.tags;

import dev.waymark.wire.Arns;

/**
 * The resources that carry tags, looked up by the concepts that own them, so that tags know of no app, journey or
 * segment (the server puts this together from the apps', the journeys' and the segments' stores).
 */
@FunctionalInterface
public interface TaggedResources {
    /**
     * The id of the app, or of its journey or segment when one is named, or of the template; NotFoundException in the
     * owner's words when absent.
     */
    String resolve(Arns.Resource resource);
}
