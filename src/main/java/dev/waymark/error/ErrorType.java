package dev.waymark.error;

/** The modeled Pinpoint errors: the shape name the SDKs match on, and its HTTP status. */
public enum ErrorType {
    BAD_REQUEST("BadRequestException", 400),
    FORBIDDEN("ForbiddenException", 403),
    NOT_FOUND("NotFoundException", 404),
    METHOD_NOT_ALLOWED("MethodNotAllowedException", 405),
    CONFLICT("ConflictException", 409),
    PAYLOAD_TOO_LARGE("PayloadTooLargeException", 413),
    TOO_MANY_REQUESTS("TooManyRequestsException", 429),
    INTERNAL("InternalServerErrorException", 500);

    private final String shapeName;
    private final int status;

    ErrorType(String shapeName, int status) {
        this.shapeName = shapeName;
        this.status = status;
    }

    public String shapeName() {
        return shapeName;
    }

    public int status() {
        return status;
    }

    /** The modeled error a client should see for an HTTP status that was not produced by Waymark itself. */
    public static ErrorType forStatus(int status) {
        for (ErrorType type : values()) {
            if (type.status == status) {
                return type;
            }
        }
        return status >= 500 ? INTERNAL : BAD_REQUEST;
    }
}
