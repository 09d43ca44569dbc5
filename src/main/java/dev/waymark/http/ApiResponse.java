package dev.waymark.http;

/**
 * What an operation answers: an HTTP status and a body to write as JSON (null for none; {@link Text} and
 * {@link EncodedJson} as they are).
 */
public record ApiResponse(int status, Object body) {
    /** A body that is not JSON, written as it is. */
    public record Text(String text, String contentType) {}

    /**
     * Any body written as it is, with its content type and extra response headers (Location, Cache-Control): the
     * tracking pixel and redirects, which are not Pinpoint operations.
     */
    public record Bytes(byte[] bytes, String contentType, java.util.Map<String, String> headers) {}

    /** A JSON body already encoded, written as it is. */
    public record EncodedJson(byte[] bytes) {}

    public static ApiResponse okEncoded(byte[] json) {
        return new ApiResponse(200, new EncodedJson(json));
    }

    public static ApiResponse text(String text, String contentType) {
        return new ApiResponse(200, new Text(text, contentType));
    }

    public static ApiResponse ok(Object body) {
        return new ApiResponse(200, body);
    }

    public static ApiResponse created(Object body) {
        return new ApiResponse(201, body);
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, null);
    }
}
