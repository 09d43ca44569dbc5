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

    /** A JSON body already encoded, the first {@code length} bytes of {@code bytes}, written as it is. */
    public record EncodedJson(byte[] bytes, int length) {
        public EncodedJson {
            if (length < 0 || length > bytes.length) {
                throw new IllegalArgumentException("length " + length + " outside a buffer of " + bytes.length);
            }
        }
    }

    public static ApiResponse okEncoded(byte[] json) {
        return okEncoded(json, json.length);
    }

    /** The first {@code length} bytes of {@code buffer}: a response written into a larger buffer, not copied out. */
    public static ApiResponse okEncoded(byte[] buffer, int length) {
        return new ApiResponse(200, new EncodedJson(buffer, length));
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
