package dev.waymark.messaging.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.wire.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Substitutions and DefaultSubstitutions as objects the templates read like the endpoint. Their keys are variables
 * as written in a template, dotted ({@code User.UserAttributes.FirstName}, {@code User.UserAttributes.[Last Name]});
 * DefaultSubstitutions may also nest them ({@code {"User":{"UserAttributes":{"FirstName":"there"}}}}) or mix both.
 */
final class VariableTrees {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private VariableTrees() {
    }

    /** SendMessages' substitutions: each key's values, as an attribute's list (a bare reference prints the first). */
    static ObjectNode substitutions(Map<String, List<String>> substitutions) {
        ObjectNode tree = NODES.objectNode();
        substitutions.forEach((key, values) -> {
            if (values != null && !values.isEmpty()) {
                ArrayNode list = NODES.arrayNode(values.size());
                values.forEach(list::add);
                put(tree, segments(key), list);
            }
        });
        return tree;
    }

    /** The template's DefaultSubstitutions; null when absent or not a JSON object (the template saves only one). */
    static ObjectNode defaults(String json) {
        JsonNode parsed;
        try {
            parsed = Json.MAPPER.readTree(json);
        } catch (Exception e) {
            return null;
        }
        if (parsed == null || !parsed.isObject()) {
            return null;
        }
        ObjectNode tree = NODES.objectNode();
        merge(tree, (ObjectNode) parsed);
        return tree;
    }

    /** Adds every member of {@code source} under {@code tree}, dotted keys opened into objects. */
    private static void merge(ObjectNode tree, ObjectNode source) {
        for (Map.Entry<String, JsonNode> field : source.properties()) {
            List<String> path = segments(field.getKey());
            if (field.getValue().isObject()) {
                ObjectNode target = objectAt(tree, path);
                if (target != null) {
                    merge(target, (ObjectNode) field.getValue());
                }
            } else {
                put(tree, path, field.getValue());
            }
        }
    }

    /** Sets a value at a path unless something is already there (the first key given wins). */
    private static void put(ObjectNode tree, List<String> path, JsonNode value) {
        if (path.isEmpty()) {
            return;
        }
        ObjectNode parent = objectAt(tree, path.subList(0, path.size() - 1));
        String last = path.get(path.size() - 1);
        if (parent != null && !parent.has(last)) {
            parent.set(last, value);
        }
    }

    /** The object at a path, created where missing; null where a value that is not an object is in the way. */
    private static ObjectNode objectAt(ObjectNode tree, List<String> path) {
        ObjectNode node = tree;
        for (String segment : path) {
            JsonNode child = node.get(segment);
            if (child == null) {
                node = node.putObject(segment);
            } else if (child.isObject()) {
                node = (ObjectNode) child;
            } else {
                return null;
            }
        }
        return node;
    }

    /** {@code User.UserAttributes.[Last Name]} as its names, brackets removed; a dot inside brackets is kept. */
    static List<String> segments(String key) {
        List<String> segments = new ArrayList<>();
        StringBuilder segment = new StringBuilder();
        boolean bracket = false;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '[' && !bracket && segment.length() == 0) {
                bracket = true;
            } else if (c == ']' && bracket) {
                bracket = false;
            } else if (c == '.' && !bracket) {
                if (segment.length() > 0) {
                    segments.add(segment.toString());
                }
                segment.setLength(0);
            } else {
                segment.append(c);
            }
        }
        if (segment.length() > 0) {
            segments.add(segment.toString());
        }
        return segments;
    }
}
