package dev.waymark.http;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.waymark.error.ErrorType;

/** The body of every error, as Pinpoint sends it: {@code {"Message": …, "RequestID": …}}. */
record ErrorBody(@JsonIgnore ErrorType type,
                 @JsonProperty("Message") String message,
                 @JsonProperty("RequestID") String requestId) {}
