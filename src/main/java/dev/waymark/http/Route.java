package dev.waymark.http;

/** A method and URI template, the operation name Pinpoint gives it, and Waymark's handler (null: not implemented). */
public record Route(String method, PathTemplate template, String operationName, Operation operation,
                   boolean signed) {

    public boolean implemented() {
        return operation != null;
    }
}
