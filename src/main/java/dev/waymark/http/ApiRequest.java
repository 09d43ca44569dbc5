package dev.waymark.http;

import dev.waymark.auth.Caller;
import dev.waymark.error.ApiException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A request bound to its operation: path labels and query decoded, body read within the size limit. */
public record ApiRequest(String requestId, String operationName, Map<String, String> labels,
                         Map<String, List<String>> query, byte[] body, Caller caller) {

    /** A path label; routing guarantees that every label of the template is present and non-empty. */
    public String label(String name) {
        String value = labels.get(name);
        if (value == null) {
            throw new IllegalStateException("route has no label " + name);
        }
        return value;
    }

    /** A single-valued query parameter; a repeated one is a BadRequestException. */
    public Optional<String> queryValue(String key) {
        List<String> values = query.get(key);
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw ApiException.badRequest("The query parameter " + key + " was given " + values.size()
                    + " times; give it once");
        }
        return Optional.of(values.get(0));
    }

    public List<String> queryValues(String key) {
        return query.getOrDefault(key, List.of());
    }
}
