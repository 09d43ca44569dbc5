package dev.waymark.http;

import dev.waymark.error.ApiException;
import dev.waymark.error.ErrorType;
import java.io.InputStream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;

/** Reads the body, but never more than the limit: a larger declared or actual body is PayloadTooLargeException. */
final class BodyLimitStep implements Step {
    private final long maxBytes;

    BodyLimitStep(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public ApiResponse apply(Exchange exchange, Chain next) throws Exception {
        long declared = exchange.request().getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (declared > maxBytes) {
            throw tooLarge();
        }
        try (InputStream in = Content.Source.asInputStream(exchange.request())) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) {
                throw tooLarge();
            }
            exchange.setBody(body);
        }
        return next.proceed(exchange);
    }

    private ApiException tooLarge() {
        return new ApiException(ErrorType.PAYLOAD_TOO_LARGE,
                "The request body is larger than the limit of " + maxBytes + " bytes");
    }
}
