package dev.waymark.messaging;

import static dev.waymark.wire.Shape.Member.optional;
import static dev.waymark.wire.Shape.Member.required;

import dev.waymark.wire.Shape.Kind;
import dev.waymark.wire.Shape.Scalar;
import dev.waymark.wire.Shape.Structure;
import java.util.List;

/**
 * The request shapes of the ten Update*Channel operations, as the 2016-12-01 service model defines them
 * (ServiceModelTest compares them with the model). Kept with messaging: no other concept reads them.
 */
public final class ChannelShapes {
    private ChannelShapes() {}

    private static final Scalar STRING = new Scalar("__string", Kind.STRING);
    private static final Scalar BOOLEAN = new Scalar("__boolean", Kind.BOOLEAN);

    /** The body of UpdateEmailChannel. */
    public static final Structure EMAIL = new Structure("EmailChannelRequest",
            optional("ConfigurationSet", STRING), optional("Enabled", BOOLEAN), required("FromAddress", STRING),
            required("Identity", STRING), optional("RoleArn", STRING), optional("OrchestrationSendingRoleArn", STRING));
    /** The body of UpdateSmsChannel. */
    public static final Structure SMS = new Structure("SMSChannelRequest",
            optional("Enabled", BOOLEAN), optional("SenderId", STRING), optional("ShortCode", STRING));
    /** The body of UpdateVoiceChannel. */
    public static final Structure VOICE = new Structure("VoiceChannelRequest", optional("Enabled", BOOLEAN));
    /** The body of UpdateGcmChannel. */
    public static final Structure GCM = new Structure("GCMChannelRequest",
            optional("ApiKey", STRING), optional("DefaultAuthenticationMethod", STRING), optional("Enabled", BOOLEAN),
            optional("ServiceJson", STRING));
    /** The body of UpdateApnsChannel. */
    public static final Structure APNS = apns("APNSChannelRequest");
    /** The body of UpdateApnsSandboxChannel. */
    public static final Structure APNS_SANDBOX = apns("APNSSandboxChannelRequest");
    /** The body of UpdateApnsVoipChannel. */
    public static final Structure APNS_VOIP = apns("APNSVoipChannelRequest");
    /** The body of UpdateApnsVoipSandboxChannel. */
    public static final Structure APNS_VOIP_SANDBOX = apns("APNSVoipSandboxChannelRequest");
    /** The body of UpdateBaiduChannel. */
    public static final Structure BAIDU = new Structure("BaiduChannelRequest",
            required("ApiKey", STRING), optional("Enabled", BOOLEAN), required("SecretKey", STRING));
    /** The body of UpdateAdmChannel. */
    public static final Structure ADM = new Structure("ADMChannelRequest",
            required("ClientId", STRING), required("ClientSecret", STRING), optional("Enabled", BOOLEAN));

    /** Every channel request shape, for the comparison with the model. */
    public static final List<Structure> ALL = List.of(EMAIL, SMS, VOICE, GCM, APNS, APNS_SANDBOX, APNS_VOIP,
            APNS_VOIP_SANDBOX, BAIDU, ADM);

    /** The four APNs request shapes have the same members under different names. */
    private static Structure apns(String name) {
        return new Structure(name, optional("BundleId", STRING), optional("Certificate", STRING),
                optional("DefaultAuthenticationMethod", STRING), optional("Enabled", BOOLEAN),
                optional("PrivateKey", STRING), optional("TeamId", STRING), optional("TokenKey", STRING),
                optional("TokenKeyId", STRING));
    }
}
