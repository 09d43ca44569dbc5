package dev.waymark.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.waymark.error.ApiException;
import java.io.IOException;

/** The one JSON mapper of the wire: absent members are left out, never written as null. */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** The most a document may nest: nesting in a journey is shallow, a deep document is an attack. */
    static final int MAX_NESTING_DEPTH = 64;
    /** The longest document read at all; each operation's own body limit (checked before parsing) is smaller. */
    static final long MAX_DOCUMENT_BYTES = 8L * 1024 * 1024;
    /**
     * The most tokens one document may have. A tree costs up to about 50 heap bytes a token (an empty object is two
     * tokens and some 100 bytes), so a body of small tokens ({@code [{},{},…]}) costs far more heap than its size:
     * the cap keeps one parse under about 5 MB. A journey at the activity and definition caps has well under it.
     */
    static final long MAX_TOKENS = 100_000;

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxDocumentLength(MAX_DOCUMENT_BYTES)
                .maxTokenCount(MAX_TOKENS)
                .build());
    }

    private Json() {}

    /** Parses a request body; an empty body reads as an empty object, bad JSON is a BadRequestException. */
    public static JsonNode parseBody(byte[] body) {
        if (body.length == 0) {
            return MAPPER.createObjectNode();
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(body);
        } catch (StreamConstraintsException e) {
            throw ApiException.badRequest("The request body is beyond what Waymark parses: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("The request body is not valid JSON: " + e.getOriginalMessage()
                    + locationOf(e));
        } catch (IOException e) {
            throw ApiException.badRequest("The request body could not be read: " + e.getMessage());
        }
        if (hasNul(tree)) {
            throw ApiException.badRequest(NUL_REFUSAL);
        }
        return tree;
    }

    /** Why a document with a NUL character is refused. */
    public static final String NUL_REFUSAL = "A string or member name holds the NUL character (\\u0000), which no "
            + "Pinpoint member takes and PostgreSQL cannot store";

    /**
     * Whether any string or member name of {@code node} holds U+0000: PostgreSQL text and jsonb refuse it, so it must
     * be refused as the client's error before it reaches a statement (it would be a 500 there).
     */
    public static boolean hasNul(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue().indexOf('\u0000') >= 0;
        }
        if (node.isObject()) {
            for (java.util.Map.Entry<String, JsonNode> entry : node.properties()) {
                if (entry.getKey().indexOf('\u0000') >= 0 || hasNul(entry.getValue())) {
                    return true;
                }
            }
            return false;
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (hasNul(element)) {
                    return true;
                }
            }
        }
        return false;
    }

    public static JsonNode parseStored(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is not valid", e);
        }
    }

    /** A validated string-to-string map member as a Java map, in its JSON order; a missing node is empty. */
    public static java.util.Map<String, String> stringMap(JsonNode map) {
        java.util.Map<String, String> result = new java.util.LinkedHashMap<>();
        map.properties().forEach(entry -> result.put(entry.getKey(), entry.getValue().textValue()));
        return result;
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private static String locationOf(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
