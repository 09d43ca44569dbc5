package dev.waymark.http;

import dev.waymark.wire.Json;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Writes an ApiResponse: status, JSON body, the request id, and the error type header the SDKs read first. */
final class ResponseWriter {
    static final String REQUEST_ID_HEADER = "x-amzn-RequestId";
    static final String ERROR_TYPE_HEADER = "x-amzn-ErrorType";

    private ResponseWriter() {}

    static void write(ApiResponse apiResponse, String requestId, Response response, Callback callback) {
        response.setStatus(apiResponse.status());
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(REQUEST_ID_HEADER, requestId);
        if (apiResponse.body() instanceof ErrorBody error) {
            headers.put(ERROR_TYPE_HEADER, error.type().shapeName());
        }
        if (apiResponse.body() == null) {
            headers.put(HttpHeader.CONTENT_LENGTH, 0L);
            response.write(true, null, callback);
            return;
        }
        ByteBuffer body;
        if (apiResponse.body() instanceof ApiResponse.Text text) {
            body = ByteBuffer.wrap(text.text().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            headers.put(HttpHeader.CONTENT_TYPE, text.contentType());
        } else if (apiResponse.body() instanceof ApiResponse.Bytes bytes) {
            body = ByteBuffer.wrap(bytes.bytes());
            headers.put(HttpHeader.CONTENT_TYPE, bytes.contentType());
            bytes.headers().forEach(headers::put);
        } else if (apiResponse.body() instanceof ApiResponse.EncodedJson encoded) {
            body = ByteBuffer.wrap(encoded.bytes(), 0, encoded.length());
            headers.put(HttpHeader.CONTENT_TYPE, "application/json");
        } else {
            body = ByteBuffer.wrap(Json.write(apiResponse.body()));
            headers.put(HttpHeader.CONTENT_TYPE, "application/json");
        }
        headers.put(HttpHeader.CONTENT_LENGTH, body.remaining());
        response.write(true, body, callback);
    }
}
