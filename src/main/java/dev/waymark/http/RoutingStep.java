package dev.waymark.http;

import dev.waymark.auth.Permissions;
import dev.waymark.error.ApiException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/** The last step: finds the route, binds labels and query, and runs the operation. */
final class RoutingStep implements Step {
    private final Router router;

    RoutingStep(Router router) {
        this.router = router;
    }

    @Override
    public ApiResponse apply(Exchange exchange, Chain next) throws Exception {
        Request request = exchange.request();
        List<String> segments = decodeSegments(request.getHttpURI().getPath());
        RouteMatch match = router.match(request.getMethod(), segments);
        // Named even when not implemented, so an operator sees which missing operations clients call.
        exchange.setOperationName(match.route().operationName());
        if (!match.route().implemented()) {
            throw Router.notImplemented(match.route());
        }
        if (match.route().signed()) {
            Permissions.check(exchange.caller(), request.getMethod(), match.route().operationName(), match.labels());
        }
        ApiRequest bound = new ApiRequest(exchange.requestId(), match.route().operationName(), match.labels(),
                decodeQuery(request), exchange.body(), exchange.caller());
        return match.route().operation().handle(bound);
    }

    /** Splits the raw path first, then decodes each segment, so that an encoded '/' stays inside its label. */
    static List<String> decodeSegments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String segment : PathTemplate.split(rawPath == null ? "/" : rawPath)) {
            try {
                // '+' is a literal plus in a path; URLDecoder would turn it into a space.
                segments.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("The path segment '" + segment + "' is not valid percent-encoding");
            }
        }
        return segments;
    }

    private static Map<String, List<String>> decodeQuery(Request request) {
        Fields fields;
        try {
            fields = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            throw ApiException.badRequest("The query string is not valid percent-encoding");
        }
        Map<String, List<String>> query = new java.util.LinkedHashMap<>();
        for (Fields.Field field : fields) {
            query.put(field.getName(), List.copyOf(field.getValues()));
        }
        return query;
    }
}
