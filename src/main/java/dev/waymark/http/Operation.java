package dev.waymark.http;

/** One Pinpoint operation: takes a bound request, returns the response body (or throws an ApiException). */
@FunctionalInterface
public interface Operation {
    ApiResponse handle(ApiRequest request) throws Exception;
}
