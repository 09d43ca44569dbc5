package dev.waymark.http;

import dev.waymark.error.ApiException;
import dev.waymark.error.ErrorType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Finds the route for a method and path. Knows every Pinpoint operation, so that a request for one Waymark does not
 * implement is answered with its name, a known path with the wrong method with MethodNotAllowedException, and
 * anything else with NotFoundException.
 */
public final class Router {
    private static final String CATALOGUE = "pinpoint-operations.txt";

    private final List<Route> routes = new ArrayList<>();

    /** A router that knows every Pinpoint operation, none of them implemented yet. */
    public static Router withPinpointCatalogue() {
        Router router = new Router();
        try (InputStream in = Router.class.getResourceAsStream(CATALOGUE);
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.trim().split(" ");
                router.routes.add(new Route(parts[0], PathTemplate.parse(parts[1]), parts[2], null, true,
                        Route.NO_BODY));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return router;
    }

    /**
     * Implements a catalogued Pinpoint operation that reads at most {@code maxBodyBytes} of body (a limit that fits
     * its request shape; {@link Route#NO_BODY} for one that takes none).
     */
    public Router implement(String operationName, long maxBodyBytes, Operation operation) {
        for (int i = 0; i < routes.size(); i++) {
            Route route = routes.get(i);
            if (route.operationName().equals(operationName)) {
                routes.set(i, new Route(route.method(), route.template(), operationName, operation, true,
                        maxBodyBytes));
                return this;
            }
        }
        throw new IllegalArgumentException("no Pinpoint operation named " + operationName);
    }

    /** Adds a route that is not a Pinpoint operation (such as /health) and needs no signature. */
    public Router addUnsigned(String method, String template, String name, Operation operation) {
        routes.add(new Route(method, PathTemplate.parse(template), name, operation, false, Route.NO_BODY));
        return this;
    }

    /** The implemented route for a request, or the ApiException that tells the client why there is none. */
    public RouteMatch resolve(String method, List<String> decodedSegments) {
        RouteMatch match = match(method, decodedSegments);
        if (!match.route().implemented()) {
            throw notImplemented(match.route());
        }
        return match;
    }

    /** The route for a request, implemented or not, or the ApiException for a path or method Pinpoint lacks. */
    public RouteMatch match(String method, List<String> decodedSegments) {
        RouteMatch best = null;
        TreeSet<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            Map<String, String> labels = route.template().match(decodedSegments);
            if (labels == null) {
                continue;
            }
            allowed.add(route.method());
            if (route.method().equals(method) && (best == null || MORE_SPECIFIC.compare(route, best.route()) > 0)) {
                best = new RouteMatch(route, labels);
            }
        }
        if (best != null) {
            return best;
        }
        String path = "/" + String.join("/", decodedSegments);
        if (!allowed.isEmpty()) {
            throw new ApiException(ErrorType.METHOD_NOT_ALLOWED, "The method " + method + " is not allowed on "
                    + path + "; allowed: " + String.join(", ", allowed));
        }
        throw ApiException.notFound("No Pinpoint operation matches " + method + " " + path);
    }

    static ApiException notImplemented(Route route) {
        return ApiException.badRequest(route.operationName() + " is a Pinpoint operation that "
                + "Waymark does not implement yet (the README lists what it serves)");
    }

    private static final Comparator<Route> MORE_SPECIFIC = Comparator.comparingInt(r -> r.template().literalCount());

    /** The routes, for tests. */
    List<Route> routes() {
        return List.copyOf(routes);
    }
}
