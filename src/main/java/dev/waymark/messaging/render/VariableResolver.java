package dev.waymark.messaging.render;

import com.github.jknack.handlebars.ValueResolver;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How templates read {@link Variables}. It is the only resolver besides maps (partial arguments): Handlebars'
 * JavaBean and method resolvers would let a template call getters on any value it reaches.
 */
final class VariableResolver implements ValueResolver {
    static final VariableResolver INSTANCE = new VariableResolver();

    private VariableResolver() {
    }

    @Override
    public Object resolve(Object context, String name) {
        if (context instanceof Variables variables) {
            Object value = variables.get(name);
            return value == null ? UNRESOLVED : value;
        }
        // A single value read as a list ({{Attributes.Plan.[0]}} where a default gave "Gold") is its own first item.
        if ("0".equals(name) && context != null && !(context instanceof Map) && !(context instanceof List)) {
            return context;
        }
        return UNRESOLVED;
    }

    @Override
    public Object resolve(Object context) {
        return context instanceof Variables ? context : UNRESOLVED;
    }

    @Override
    public Set<Map.Entry<String, Object>> propertySet(Object context) {
        return context instanceof Variables variables ? variables.members().entrySet() : Set.of();
    }
}
