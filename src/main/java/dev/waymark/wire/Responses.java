package dev.waymark.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** The response bodies Waymark sends, with the exact JSON keys of the Pinpoint model. */
public final class Responses {
    private Responses() {}

    /** ApplicationResponse. */
    public record Application(@JsonProperty("Arn") String arn, @JsonProperty("Id") String id,
                              @JsonProperty("Name") String name, @JsonProperty("tags") Map<String, String> tags,
                              @JsonProperty("CreationDate") String creationDate) {}

    /** ApplicationsResponse. */
    public record Applications(@JsonProperty("Item") List<Application> item,
                               @JsonProperty("NextToken") String nextToken) {}

    /** JourneysResponse; the journeys are JourneyResponse documents. */
    public record Journeys(@JsonProperty("Item") List<JsonNode> item, @JsonProperty("NextToken") String nextToken) {}

    /** TagsModel. */
    public record Tags(@JsonProperty("tags") Map<String, String> tags) {}
}
