package dev.waymark.tags;

import java.util.Optional;

/**
 * The resources that carry tags, looked up by the concepts that own them, so that tags know of no app or journey
 * (the server puts this together from the apps' and the journeys' stores).
 */
@FunctionalInterface
public interface TaggedResources {
    /** The id of the app, or of its journey when one is named; NotFoundException in the owner's words when absent. */
    String resolve(String appId, Optional<String> journeyId);
}
