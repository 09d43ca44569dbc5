package dev.waymark.messaging;

import dev.waymark.wire.PinpointShapes;
import dev.waymark.wire.Shape;
import java.util.Arrays;
import java.util.Optional;

/** The five kinds of message template: their path segment, request shape, and what the largest may hold. */
public enum TemplateType {
    EMAIL("email", "Email", PinpointShapes.EMAIL_TEMPLATE_REQUEST, 600_000),
    SMS("sms", "Sms", PinpointShapes.SMS_TEMPLATE_REQUEST, 1_600),
    PUSH("push", "Push", PinpointShapes.PUSH_TEMPLATE_REQUEST, 6_000),
    VOICE("voice", "Voice", PinpointShapes.VOICE_TEMPLATE_REQUEST, 10_000),
    INAPP("inapp", "InApp", PinpointShapes.IN_APP_TEMPLATE_REQUEST, 200_000);

    private final String path;
    private final String operationName;
    private final Shape.Structure request;
    private final int maxCharacters;

    TemplateType(String path, String operationName, Shape.Structure request, int maxCharacters) {
        this.path = path;
        this.operationName = operationName;
        this.request = request;
        this.maxCharacters = maxCharacters;
    }

    /** The last segment of the template's path, e.g. {@code email}. */
    public String path() {
        return path;
    }

    /** The type as Pinpoint's operation names spell it, e.g. {@code InApp} in CreateInAppTemplate. */
    public String operationName() {
        return operationName;
    }

    Shape.Structure request() {
        return request;
    }

    /** Pinpoint's quota on the characters of one message part of this type (push: of one platform's part). */
    int maxCharacters() {
        return maxCharacters;
    }

    /** The type a {@code template-type} value names; upper case as the model's pattern requires. */
    public static Optional<TemplateType> named(String name) {
        return Arrays.stream(values()).filter(type -> type.name().equals(name)).findFirst();
    }
}
