package dev.waymark.messaging;

import dev.waymark.wire.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The ten channels an app may have, named as Pinpoint's ChannelType and Platform spell them: the last segment of
 * their path, the word in their operation names, their request shape, which request members are secrets (never
 * stored, never answered) and which stored members their response answers.
 */
public enum ChannelKind {
    EMAIL("email", "Email", ChannelShapes.EMAIL, "EmailChannelResponse", Set.of(),
            List.of("ConfigurationSet", "FromAddress", "Identity", "OrchestrationSendingRoleArn", "RoleArn")),
    SMS("sms", "Sms", ChannelShapes.SMS, "SMSChannelResponse", Set.of(), List.of("SenderId", "ShortCode")),
    VOICE("voice", "Voice", ChannelShapes.VOICE, "VoiceChannelResponse", Set.of(), List.of()),
    GCM("gcm", "Gcm", ChannelShapes.GCM, "GCMChannelResponse", Set.of("ApiKey", "ServiceJson"),
            List.of("DefaultAuthenticationMethod")),
    APNS("apns", "Apns", ChannelShapes.APNS, "APNSChannelResponse", Apns.SECRETS, Apns.ANSWERED),
    APNS_SANDBOX("apns_sandbox", "ApnsSandbox", ChannelShapes.APNS_SANDBOX, "APNSSandboxChannelResponse",
            Apns.SECRETS, Apns.ANSWERED),
    APNS_VOIP("apns_voip", "ApnsVoip", ChannelShapes.APNS_VOIP, "APNSVoipChannelResponse", Apns.SECRETS,
            Apns.ANSWERED),
    APNS_VOIP_SANDBOX("apns_voip_sandbox", "ApnsVoipSandbox", ChannelShapes.APNS_VOIP_SANDBOX,
            "APNSVoipSandboxChannelResponse", Apns.SECRETS, Apns.ANSWERED),
    BAIDU("baidu", "Baidu", ChannelShapes.BAIDU, "BaiduChannelResponse", Set.of("ApiKey", "SecretKey"), List.of()),
    ADM("adm", "Adm", ChannelShapes.ADM, "ADMChannelResponse", Set.of("ClientSecret"), List.of());

    /** Enum constants cannot name the enum's own static fields, so the APNs lists live here. */
    private static final class Apns {
        static final Set<String> SECRETS = Set.of("Certificate", "PrivateKey", "TokenKey");
        static final List<String> ANSWERED = List.of("DefaultAuthenticationMethod");
    }

    private final String path;
    private final String operationName;
    private final Shape.Structure request;
    private final String responseShape;
    private final Set<String> secrets;
    private final List<String> answered;

    ChannelKind(String path, String operationName, Shape.Structure request, String responseShape,
                Set<String> secrets, List<String> answered) {
        this.path = path;
        this.operationName = operationName;
        this.request = request;
        this.responseShape = responseShape;
        this.secrets = secrets;
        this.answered = answered;
    }

    /** The last segment of the channel's path, e.g. {@code apns_sandbox}; also the channel's Id in responses. */
    public String path() {
        return path;
    }

    /** The channel as the operation names spell it, e.g. {@code ApnsSandbox} in UpdateApnsSandboxChannel. */
    public String operationName() {
        return operationName;
    }

    /** The channel's Platform and its key in GetChannels, e.g. {@code APNS_SANDBOX}. */
    public String platform() {
        return name();
    }

    /** The request members that are secrets: the channel keeps only the names of those it was given. */
    public Set<String> secrets() {
        return secrets;
    }

    Shape.Structure request() {
        return request;
    }

    /** The model's name of the response shape, e.g. {@code APNSSandboxChannelResponse} (for tests). */
    String responseShape() {
        return responseShape;
    }

    /** The stored settings the response answers as they were sent. */
    List<String> answered() {
        return answered;
    }

    /** The channel a ChannelType value names, upper case as Pinpoint spells it. */
    public static Optional<ChannelKind> named(String type) {
        return Arrays.stream(values()).filter(kind -> kind.name().equals(type)).findFirst();
    }
}
