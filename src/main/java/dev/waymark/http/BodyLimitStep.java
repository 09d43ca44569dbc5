package dev.waymark.http;

import dev.waymark.auth.SignatureV4;
import dev.waymark.error.ApiException;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Reads the body of methods that carry one (POST, PUT, PATCH), within the bounds of {@link BodySettings} and the
 * limit its operation declares in the {@link Router} (the smaller wins); other methods read none, whatever they send.
 * A request that matches no implemented operation may send at most {@link #UNROUTED_LIMIT} bytes: its answer is an
 * error whatever the body says, but the body is still read for the signature. The SHA-256 of the body is computed as it streams in, for the signature.
 * A body larger than the limit is PayloadTooLargeException; its excess is read and thrown away (up to a bound)
 * before answering, because SDK clients send the whole body before they read the response.
 */
final class BodyLimitStep implements Step {
    private static final Set<String> METHODS_WITH_BODY = Set.of("POST", "PUT", "PATCH");
    private static final String EMPTY_SHA256 = SignatureV4.sha256Hex(new byte[0]);

    static final long UNROUTED_LIMIT = 64 * 1024;

    private final BodySettings settings;
    private final BodyBudget budget;
    private final Router router;

    BodyLimitStep(BodySettings settings, Router router) {
        this.settings = settings;
        this.router = router;
        this.budget = new BodyBudget(settings.budgetBytes());
    }

    /** Bytes of request bodies held now, for /metrics. */
    int bytesInUse() {
        return budget.inUse();
    }

    @Override
    public ApiResponse apply(Exchange exchange, Chain next) throws Exception {
        if (!METHODS_WITH_BODY.contains(exchange.request().getMethod())) {
            exchange.setBody(new byte[0], EMPTY_SHA256);
            return next.proceed(exchange);
        }
        BodyReader reader = new BodyReader(exchange, settings, budget, limitFor(exchange));
        try {
            reader.read(exchange.request().getHeaders().getLongField(HttpHeader.CONTENT_LENGTH));
            exchange.setBody(reader.body(), reader.sha256Hex());
            return next.proceed(exchange);
        } finally {
            exchange.setBody(new byte[0], EMPTY_SHA256);
            reader.release();
        }
    }

    /** The route's own limit, capped by the server's; names the operation now, so a body cut off is labelled. */
    private long limitFor(Exchange exchange) {
        RouteMatch match;
        try {
            match = router.match(exchange.request().getMethod(),
                    RoutingStep.decodeSegments(exchange.request().getHttpURI().getPath()));
        } catch (ApiException e) {
            return Math.min(settings.maxBytes(), UNROUTED_LIMIT);
        }
        exchange.nameOperation(match.route().operationName());
        long routeLimit = match.route().implemented() ? match.route().maxBodyBytes() : UNROUTED_LIMIT;
        return Math.min(settings.maxBytes(), routeLimit);
    }
}
