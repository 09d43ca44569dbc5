package dev.waymark.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * Response bodies Waymark sends as records, with the exact JSON keys of the Pinpoint model (listing pages are
 * written item by item by api.BudgetedPage).
 */
public final class Responses {
    private Responses() {}

    /** ApplicationResponse. */
    public record Application(@JsonProperty("Arn") String arn, @JsonProperty("Id") String id,
                              @JsonProperty("Name") String name, @JsonProperty("tags") Map<String, String> tags,
                              @JsonProperty("CreationDate") String creationDate) {}

    /** TagsModel. */
    public record Tags(@JsonProperty("tags") Map<String, String> tags) {}
}
