package dev.waymark.http;

import dev.waymark.error.ApiException;
import dev.waymark.error.ErrorType;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;

/**
 * Reads the body, but never keeps more than the limit: a larger body is PayloadTooLargeException. The excess is
 * read and thrown away (up to a bound) before answering, because SDK clients send the whole body before they read
 * the response: closing on them mid-upload would surface as a broken pipe instead of the modeled error.
 */
final class BodyLimitStep implements Step {
    /** Past this much excess the connection is simply closed; no honest client sends that much. */
    private static final long MAX_DISCARD_BYTES = 64L * 1024 * 1024;

    private final long maxBytes;

    BodyLimitStep(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public ApiResponse apply(Exchange exchange, Chain next) throws Exception {
        long declared = exchange.request().getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        try (InputStream in = Content.Source.asInputStream(exchange.request())) {
            if (declared > maxBytes) {
                discard(in);
                throw tooLarge();
            }
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) {
                discard(in);
                throw tooLarge();
            }
            exchange.setBody(body);
        }
        return next.proceed(exchange);
    }

    private static void discard(InputStream in) {
        byte[] scratch = new byte[64 * 1024];
        long discarded = 0;
        try {
            int read;
            while (discarded < MAX_DISCARD_BYTES && (read = in.read(scratch)) >= 0) {
                discarded += read;
            }
        } catch (IOException e) {
            // The client went away; the error response below is all that is left to try.
        }
    }

    private ApiException tooLarge() {
        return new ApiException(ErrorType.PAYLOAD_TOO_LARGE,
                "The request body is larger than the limit of " + maxBytes + " bytes");
    }
}
