package dev.waymark.http;

import dev.waymark.auth.Caller;
import dev.waymark.auth.RequestAuthenticator;
import dev.waymark.error.ApiException;
import dev.waymark.error.ErrorType;
import org.eclipse.jetty.server.Request;

/**
 * Works out who sent a request: the access key whose SigV4 signature it carries. In two steps around reading the
 * body: {@link #headers} before (no body buffer and no in-flight permit for a request from an unknown key), and
 * {@link #body} after, with the body's hash. With signatures off ({@code --auth none}) every request may do
 * everything. A failure is labelled {@code unauthenticated} in metrics and the access log.
 */
public final class AuthenticationStep {
    private AuthenticationStep() {}

    /** The first step; {@code authenticator} null: signatures are off. */
    public static Step headers(RequestAuthenticator authenticator) {
        return (exchange, next) -> {
            if (authenticator == null) {
                exchange.setCaller(Caller.UNRESTRICTED);
                return next.proceed(exchange);
            }
            Request request = exchange.request();
            try {
                exchange.setHeadersChecked(authenticator.checkHeaders(request.getMethod(),
                        request.getHttpURI().getPath(), request.getHttpURI().getQuery(),
                        request.getHeaders()::getValuesList, Request.getRemoteAddr(request)));
            } catch (ApiException e) {
                labelFailure(exchange, e);
                throw e;
            }
            return next.proceed(exchange);
        };
    }

    /** The second step, once the body (and its hash) has been read. */
    public static Step body() {
        return (exchange, next) -> {
            RequestAuthenticator.HeadersChecked checked = exchange.headersChecked();
            if (checked != null) {
                try {
                    exchange.setCaller(checked.complete(exchange.bodySha256()));
                } catch (ApiException e) {
                    labelFailure(exchange, e);
                    throw e;
                }
            }
            return next.proceed(exchange);
        };
    }

    private static void labelFailure(Exchange exchange, ApiException e) {
        exchange.markUnauthenticated();
        if (e.type() == ErrorType.TOO_MANY_REQUESTS) {
            exchange.setThrottleReason("failed_authentication");
        }
    }
}
