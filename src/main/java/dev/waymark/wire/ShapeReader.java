package dev.waymark.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.error.ApiException;
import java.util.Map;
import java.util.TreeSet;

/**
 * Checks a JSON document against a {@link Shape} and returns a clean copy: unknown members and nulls are
 * dropped (as the service ignores them) and date-times are normalised to UTC with milliseconds. Anything of the
 * wrong JSON type, a missing required member or a value outside its enum is a BadRequestException that names the
 * member path, e.g. {@code Activities.welcome.Wait.WaitTime.WaitFor}.
 */
public final class ShapeReader {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ShapeReader() {}

    /** Reads a request body (already parsed) as the given structure. */
    public static ObjectNode read(JsonNode body, Shape.Structure shape) {
        if (body == null || body.isMissingNode() || body.isNull()) {
            body = NODES.objectNode();
        }
        if (!body.isObject()) {
            throw ApiException.badRequest("The request body must be a JSON object (" + shape.name() + ")");
        }
        return readStructure(body, shape, "");
    }

    private static JsonNode readValue(JsonNode value, Shape shape, String path) {
        if (shape instanceof Shape.Structure structure) {
            if (!value.isObject()) {
                throw wrongType(path, "an object", value);
            }
            return readStructure(value, structure, path + ".");
        }
        if (shape instanceof Shape.ListOf list) {
            return readList(value, list, path);
        }
        if (shape instanceof Shape.MapOf map) {
            return readMap(value, map, path);
        }
        if (shape instanceof Shape.Enumeration enumeration) {
            return readEnum(value, enumeration, path);
        }
        return readScalar(value, (Shape.Scalar) shape, path);
    }

    private static ObjectNode readStructure(JsonNode value, Shape.Structure shape, String prefix) {
        ObjectNode clean = NODES.objectNode();
        for (Shape.Member member : shape.members().values()) {
            JsonNode memberValue = value.get(member.wireKey());
            String path = prefix + member.wireKey();
            if (memberValue == null || memberValue.isNull()) {
                if (member.required()) {
                    throw ApiException.badRequest(path + " is required");
                }
                continue;
            }
            clean.set(member.wireKey(), readValue(memberValue, member.shape(), path));
        }
        return clean;
    }

    private static ArrayNode readList(JsonNode value, Shape.ListOf list, String path) {
        if (!value.isArray()) {
            throw wrongType(path, "an array", value);
        }
        ArrayNode clean = NODES.arrayNode(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode element = value.get(i);
            String elementPath = path + "[" + i + "]";
            if (element.isNull()) {
                throw ApiException.badRequest(elementPath + " must not be null");
            }
            clean.add(readValue(element, list.member(), elementPath));
        }
        return clean;
    }

    private static ObjectNode readMap(JsonNode value, Shape.MapOf map, String path) {
        if (!value.isObject()) {
            throw wrongType(path, "an object", value);
        }
        ObjectNode clean = NODES.objectNode();
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            String entryPath = path + "." + entry.getKey();
            if (map.key() instanceof Shape.Enumeration keys && !keys.values().contains(entry.getKey())) {
                throw ApiException.badRequest(entryPath + ": the key must be one of " + sorted(keys));
            }
            if (entry.getValue().isNull()) {
                throw ApiException.badRequest(entryPath + " must not be null");
            }
            clean.set(entry.getKey(), readValue(entry.getValue(), map.value(), entryPath));
        }
        return clean;
    }

    private static JsonNode readEnum(JsonNode value, Shape.Enumeration enumeration, String path) {
        if (!value.isTextual()) {
            throw wrongType(path, "a string", value);
        }
        if (!enumeration.values().contains(value.textValue())) {
            throw ApiException.badRequest(path + " must be one of " + sorted(enumeration)
                    + ", not '" + value.textValue() + "'");
        }
        return value;
    }

    private static JsonNode readScalar(JsonNode value, Shape.Scalar scalar, String path) {
        switch (scalar.kind()) {
            case STRING:
                if (!value.isTextual()) {
                    throw wrongType(path, "a string", value);
                }
                return value;
            case BOOLEAN:
                if (!value.isBoolean()) {
                    throw wrongType(path, "a boolean", value);
                }
                return value;
            case DOUBLE:
                if (!value.isNumber()) {
                    throw wrongType(path, "a number", value);
                }
                // 5 and 5.0 are the same double; store one form so that equal definitions compare equal.
                return NODES.numberNode(value.doubleValue());
            case INTEGER:
                if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                    throw wrongType(path, "a 32-bit integer", value);
                }
                return NODES.numberNode(value.intValue());
            case TIMESTAMP:
                if (!value.isTextual()) {
                    throw wrongType(path, "an ISO 8601 date-time string", value);
                }
                return NODES.textNode(normaliseTime(value.textValue(), path));
            case BLOB:
                if (!value.isTextual() || !isBase64(value.textValue())) {
                    throw wrongType(path, "a base64 string", value);
                }
                return value;
            default:
                throw new IllegalStateException("unknown scalar kind " + scalar.kind());
        }
    }

    private static boolean isBase64(String text) {
        try {
            java.util.Base64.getDecoder().decode(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String normaliseTime(String text, String path) {
        return WireTime.format(WireTime.parseRequestTime(text, path));
    }

    private static ApiException wrongType(String path, String expected, JsonNode actual) {
        return ApiException.badRequest(path + " must be " + expected + ", not " + describe(actual));
    }

    private static String describe(JsonNode node) {
        switch (node.getNodeType()) {
            case ARRAY: return "an array";
            case OBJECT: return "an object";
            case STRING: return "a string";
            case BOOLEAN: return "a boolean";
            case NUMBER: return node.isIntegralNumber() ? "the integer " + node.asText() : "the number " + node.asText();
            default: return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static String sorted(Shape.Enumeration enumeration) {
        return String.join(", ", new TreeSet<>(enumeration.values()));
    }
}
