package dev.waymark.http;

import dev.waymark.error.ErrorType;
import java.util.UUID;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Errors Jetty raises before a request reaches Waymark (a malformed URI or Host, headers too large, an unknown
 * Expect) in the same JSON shape as every other error, for every method — Jetty's default renders a body only for
 * GET, POST and HEAD. The message names Jetty's reason for a client error and nothing else: never an exception's
 * text, which could carry internals.
 */
public final class JsonErrorHandler extends ErrorHandler {
    private static final Logger LOG = LoggerFactory.getLogger(JsonErrorHandler.class);

    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        String requestId = UUID.randomUUID().toString();
        int jettyCode = code;
        if (cause instanceof HttpException && code >= 500 && code != 503) {
            // Jetty's parser refusing what it was sent (HTTP/0.9, an unknown version) is the client's mistake.
            LOG.debug("Unparseable request refused (HTTP {}, request id {})", code, requestId, cause);
            code = HttpStatus.BAD_REQUEST_400;
        }
        ErrorType type = ErrorType.forStatus(code);
        if (code >= 500 && code != 503) {
            LOG.error("Internal error in {} {} (request id {})", request.getMethod(), request.getHttpURI().getPath(),
                    requestId, cause);
        }
        // A 5xx keeps its status (a 503 while stopping is retried by the SDKs); other 4xx become the modeled 400.
        int status = code >= 500 ? code : type.status();
        response.getHeaders().remove(ResponseWriter.ERROR_TYPE_HEADER);
        ResponseWriter.write(new ApiResponse(status, new ErrorBody(type, describe(code, cause,
                requestId, jettyCode), requestId)), requestId, response, callback);
    }

    private static String describe(int code, Throwable cause, String requestId, int jettyCode) {
        if (code >= 500) {
            return code == 503 ? "Waymark is stopping or unavailable; retry shortly (request id " + requestId + ")"
                    : "Internal server error; the server log has the details under request id " + requestId;
        }
        String reason = cause instanceof HttpException http && http.getReason() != null ? http.getReason()
                : HttpStatus.getMessage(code);
        return "The request was refused before it reached Waymark (HTTP " + jettyCode + ": " + shortened(reason) + ")";
    }

    private static String shortened(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
