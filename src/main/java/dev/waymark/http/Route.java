package dev.waymark.http;

/**
 * A method and URI template, the operation name Pinpoint gives it, Waymark's handler (null: not implemented), and
 * the largest body the operation reads: checked before a byte of it is parsed, so each operation's memory is
 * bounded by its own shape rather than by the server-wide limit.
 */
public record Route(String method, PathTemplate template, String operationName, Operation operation,
                   boolean signed, long maxBodyBytes) {
    /** The body limit of a route that reads no body (a GET, a DELETE, Waymark's own paths). */
    public static final long NO_BODY = 0;

    public boolean implemented() {
        return operation != null;
    }
}
