package dev.waymark.http;

import dev.waymark.error.ErrorType;
import java.util.UUID;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty raises before a request reaches Waymark (a malformed URI, headers too large) in the same JSON shape
 * as every other error, never an HTML page.
 */
public final class JsonErrorHandler extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        ErrorType type = ErrorType.forStatus(code);
        String requestId = UUID.randomUUID().toString();
        // A 5xx keeps its status (a 503 while stopping is retried by the SDKs); other 4xx become the modeled 400.
        int status = code >= 500 ? code : type.status();
        ResponseWriter.write(new ApiResponse(status, new ErrorBody(type, describe(code, message), requestId)),
                requestId, response, callback);
    }

    private static String describe(int code, String message) {
        return "The request was refused before it reached Waymark (HTTP " + code
                + (message == null || message.isBlank() ? "" : ": " + message) + ")";
    }
}
