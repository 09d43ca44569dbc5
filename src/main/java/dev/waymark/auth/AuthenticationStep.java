package dev.waymark.auth;

import dev.waymark.error.ApiException;
import dev.waymark.error.ErrorType;
import dev.waymark.http.ApiResponse;
import dev.waymark.http.Exchange;
import dev.waymark.http.Step;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Works out who sent a Pinpoint request. Until signatures are verified, signed and unsigned requests are both
 * accepted; a signed one must carry a well-formed SigV4 Authorization header for the mobiletargeting service.
 */
public final class AuthenticationStep implements Step {
    private static final String SERVICE = "mobiletargeting";

    @Override
    public ApiResponse apply(Exchange exchange, Chain next) throws Exception {
        String header = exchange.request().getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header != null) {
            CredentialScope scope;
            try {
                scope = CredentialScope.parse(header);
            } catch (IllegalArgumentException e) {
                throw new ApiException(ErrorType.FORBIDDEN, "Malformed Authorization header: " + e.getMessage());
            }
            if (!SERVICE.equals(scope.service())) {
                throw new ApiException(ErrorType.FORBIDDEN, "The credential scope names the service '"
                        + scope.service() + "'; Pinpoint requests are signed for '" + SERVICE + "'");
            }
            exchange.setCaller(new Caller(Optional.of(scope)));
        }
        return next.proceed(exchange);
    }
}
