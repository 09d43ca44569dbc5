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
        ErrorType type = ErrorType.forStatus(code);
        String requestId = UUID.randomUUID().toString();
        if (code >= 500 && code != 503) {
            LOG.error("Internal error in {} {} (request id {})", request.getMethod(), request.getHttpURI().getPath(),
                    requestId, cause);
        }
        // A 5xx keeps its status (a 503 while stopping is retried by the SDKs); other 4xx become the modeled 400.
        int status = code >= 500 ? code : type.status();
        response.getHeaders().remove(ResponseWriter.ERROR_TYPE_HEADER);
        ResponseWriter.write(new ApiResponse(status, new ErrorBody(type, describe(code, cause, requestId),
                requestId)), requestId, response, callback);
    }

    private static String describe(int code, Throwable cause, String requestId) {
        if (code >= 500) {
            return code == 503 ? "Waymark is stopping or unavailable; retry shortly (request id " + requestId + ")"
                    : "Internal server error; the server log has the details under request id " + requestId;
        }
        String reason = cause instanceof HttpException http && http.getReason() != null ? http.getReason()
                : HttpStatus.getMessage(code);
        return "The request was refused before it reached Waymark (HTTP " + code + ": " + shortened(reason) + ")";
    }

    private static String shortened(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
