package dev.waymark.journeys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.waymark.wire.Json;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * Reads a journey definition as it was stored, without today's request validation: a definition stored by an
 * import or under older rules is read as it is, and only what cannot be read at all (not a JSON object, a schedule
 * time that is not a date-time) is an {@link UnreadableDefinitionException}. The planner holds what it reads to
 * its own bounds.
 */
public final class StoredJourneyReader {
    private StoredJourneyReader() {}

    public static JourneyDefinition read(Journey journey) {
        JsonNode stored;
        try {
            stored = Json.MAPPER.readTree(journey.definition());
        } catch (JsonProcessingException e) {
            throw new UnreadableDefinitionException(journey.id(), "it is not valid JSON");
        }
        if (stored == null || !stored.isObject()) {
            throw new UnreadableDefinitionException(journey.id(), "it is not a JSON object");
        }
        return JourneyDefinitionReader.definition(stored,
                JourneyDefinitionReader.text(stored, "Name").orElse(journey.name()),
                text -> time(journey.id(), text));
    }

    private static Instant time(String journeyId, String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException e) {
            throw new UnreadableDefinitionException(journeyId, "its Schedule has a time that is not a date-time");
        }
    }

    /** A stored definition that cannot be read at all. */
    public static final class UnreadableDefinitionException extends RuntimeException {
        public UnreadableDefinitionException(String journeyId, String why) {
            super("The stored definition of journey " + journeyId + " cannot be read: " + why);
        }
    }
}
