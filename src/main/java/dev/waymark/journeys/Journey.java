package dev.waymark.journeys;

import java.time.Instant;

/**
 * A stored journey. {@code definition} is the validated WriteJourneyRequest as JSON text, kept verbatim so that
 * every member a client sent comes back unchanged; {@code version} guards against lost updates.
 */
public record Journey(String appId, String id, String name, JourneyState state, String definition,
                      Instant createdAt, Instant modifiedAt, long version) {

    public Journey withState(JourneyState newState, Instant at) {
        return new Journey(appId, id, name, newState, definition, createdAt, at, version);
    }
}
