package dev.waymark.auth;

import dev.waymark.http.ApiResponse;
import dev.waymark.http.Exchange;
import dev.waymark.http.Step;
import dev.waymark.http.SystemPaths;

/**
 * Works out who sent a request: the access key whose SigV4 signature it carries. With signatures off
 * ({@code --auth none}) every request may do everything. Waymark's own paths (/health) need no signature.
 */
public final class AuthenticationStep implements Step {
    private final RequestAuthenticator authenticator;

    /** {@code authenticator} null: signatures are off. */
    public AuthenticationStep(RequestAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public ApiResponse apply(Exchange exchange, Chain next) throws Exception {
        if (authenticator == null || SystemPaths.contains(exchange.request().getHttpURI().getPath())) {
            exchange.setCaller(Caller.UNRESTRICTED);
        } else {
            exchange.setCaller(authenticator.authenticate(exchange.request(), exchange.body()));
        }
        return next.proceed(exchange);
    }
}
