package dev.waymark.journeys;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The segments a journey definition names — its start segment, the segment of an event start and every
 * SegmentCondition of a split — each with where it is named, for the messages that refuse or explain.
 */
final class JourneySegments {
    /** One segment named by a definition, at {@code path} (e.g. {@code StartCondition.SegmentStartCondition}). */
    record Named(String segmentId, String path) {}

    /** The members whose SegmentId names a segment. */
    private static final List<String> HOLDERS = List.of("SegmentStartCondition", "EventStartCondition",
            "SegmentCondition");
    /** Stored definitions are at most 512 KiB and validated before they are stored; this bounds the walk anyway. */
    private static final int MAX_DEPTH = 64;

    private JourneySegments() {
    }

    /** Every segment the definition names, in the order the definition holds them (duplicates kept). */
    static List<Named> of(JsonNode definition) {
        List<Named> found = new ArrayList<>();
        walk(definition, "", 0, found);
        return found;
    }

    private static void walk(JsonNode node, String path, int depth, List<Named> found) {
        if (depth > MAX_DEPTH) {
            return;
        }
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> members = node.fields();
            while (members.hasNext()) {
                Map.Entry<String, JsonNode> member = members.next();
                String at = path.isEmpty() ? member.getKey() : path + "." + member.getKey();
                JsonNode segment = member.getValue().path("SegmentId");
                if (HOLDERS.contains(member.getKey()) && segment.isTextual() && !segment.textValue().isEmpty()) {
                    found.add(new Named(segment.textValue(), at + ".SegmentId"));
                }
                walk(member.getValue(), at, depth + 1, found);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "[" + i + "]", depth + 1, found);
            }
        }
    }
}
