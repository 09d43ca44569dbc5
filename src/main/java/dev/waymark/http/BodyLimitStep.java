package dev.waymark.http;

import dev.waymark.auth.SignatureV4;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Reads the body of methods that carry one (POST, PUT, PATCH), within the bounds of {@link BodySettings}; other
 * methods read none, whatever they send. The SHA-256 of the body is computed as it streams in, for the signature.
 * A body larger than the limit is PayloadTooLargeException; its excess is read and thrown away (up to a bound)
 * before answering, because SDK clients send the whole body before they read the response.
 */
final class BodyLimitStep implements Step {
    private static final Set<String> METHODS_WITH_BODY = Set.of("POST", "PUT", "PATCH");
    private static final String EMPTY_SHA256 = SignatureV4.sha256Hex(new byte[0]);

    private final BodySettings settings;
    private final BodyBudget budget;

    BodyLimitStep(BodySettings settings) {
        this.settings = settings;
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
        BodyReader reader = new BodyReader(exchange, settings, budget);
        try {
            reader.read(exchange.request().getHeaders().getLongField(HttpHeader.CONTENT_LENGTH));
            exchange.setBody(reader.body(), reader.sha256Hex());
            return next.proceed(exchange);
        } finally {
            exchange.setBody(new byte[0], EMPTY_SHA256);
            reader.release();
        }
    }
}
