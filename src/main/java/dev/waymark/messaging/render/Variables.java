package dev.waymark.messaging.render;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An object of message variables seen through layers, first layer first: the send's substitutions, the endpoint,
 * the template's defaults. A name found in a layer hides it in the layers below, except that objects found in
 * several layers are seen together, so a default for {@code User.UserAttributes.FirstName} still shows when the
 * endpoint has other user attributes. Nothing is copied: each render wraps the layers it was given.
 */
final class Variables {
    private final JsonNode[] layers;

    private Variables(JsonNode[] layers) {
        this.layers = layers;
    }

    /** The variables of one render; a missing layer is null. */
    static Variables of(JsonNode... layers) {
        List<JsonNode> objects = new ArrayList<>(layers.length);
        for (JsonNode layer : layers) {
            if (layer != null && layer.isObject()) {
                objects.add(layer);
            }
        }
        return new Variables(objects.toArray(new JsonNode[0]));
    }

    /** The value of one member: an object as Variables, a list as a List, a scalar as its Java value; else null. */
    Object get(String name) {
        List<JsonNode> objects = null;
        for (JsonNode layer : layers) {
            JsonNode value = layer.get(name);
            if (!present(value)) {
                continue;
            }
            if (!value.isObject()) {
                if (objects == null) {
                    return javaValue(value);
                }
                continue;
            }
            if (objects == null) {
                objects = new ArrayList<>(layers.length);
            }
            objects.add(value);
        }
        return objects == null ? null : new Variables(objects.toArray(new JsonNode[0]));
    }

    /** The members of every layer, the first layer's value for each name, in the order first seen. */
    Map<String, Object> members() {
        Map<String, Object> members = new LinkedHashMap<>();
        for (JsonNode layer : layers) {
            layer.fieldNames().forEachRemaining(name -> members.computeIfAbsent(name, this::get));
        }
        members.values().removeIf(value -> value == null);
        return members;
    }

    /** An empty list counts as no value, so the next layer (a default) may give one. */
    private static boolean present(JsonNode value) {
        return value != null && !value.isNull() && !value.isMissingNode() && !(value.isArray() && value.isEmpty());
    }

    static Object javaValue(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (value.isObject()) {
            return new Variables(new JsonNode[] {value});
        }
        if (value.isArray()) {
            return new JsonList(value);
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isIntegralNumber()) {
            return value.canConvertToLong() ? (Object) value.longValue() : new BigDecimal(value.bigIntegerValue());
        }
        if (value.isNumber()) {
            return value.isBigDecimal() ? value.decimalValue() : (Object) value.doubleValue();
        }
        return value.asText();
    }

    /** A JSON array seen as a list of Java values, read as it is indexed. */
    private static final class JsonList extends AbstractList<Object> {
        private final JsonNode array;

        JsonList(JsonNode array) {
            this.array = array;
        }

        @Override
        public Object get(int index) {
            if (index < 0 || index >= array.size()) {
                throw new IndexOutOfBoundsException(index);
            }
            return javaValue(array.get(index));
        }

        @Override
        public int size() {
            return array.size();
        }
    }
}
