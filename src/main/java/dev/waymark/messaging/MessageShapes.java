package dev.waymark.messaging;

import static dev.waymark.wire.Shape.Member.optional;
import static dev.waymark.wire.Shape.Member.required;

import dev.waymark.wire.Shape.Enumeration;
import dev.waymark.wire.Shape.Kind;
import dev.waymark.wire.Shape.ListOf;
import dev.waymark.wire.Shape.MapOf;
import dev.waymark.wire.Shape.Scalar;
import dev.waymark.wire.Shape.Structure;

/**
 * The request shapes of SendMessages and SendUsersMessages, as the 2016-12-01 service model defines them
 * (ServiceModelTest compares them with the model). Kept with messaging: no other concept reads them.
 */
public final class MessageShapes {
    private MessageShapes() {}

    private static final Scalar STRING = new Scalar("__string", Kind.STRING);
    private static final Scalar INTEGER = new Scalar("__integer", Kind.INTEGER);
    private static final Scalar BOOLEAN = new Scalar("__boolean", Kind.BOOLEAN);
    private static final Scalar BLOB = new Scalar("__blob", Kind.BLOB);
    private static final ListOf STRINGS = new ListOf("ListOf__string", STRING);
    private static final MapOf STRING_MAP = new MapOf("MapOf__string", STRING, STRING);
    private static final MapOf SUBSTITUTIONS = new MapOf("MapOfListOf__string", STRING, STRINGS);

    static final Enumeration CHANNEL_TYPE = new Enumeration("ChannelType", "PUSH", "GCM", "APNS", "APNS_SANDBOX",
            "APNS_VOIP", "APNS_VOIP_SANDBOX", "ADM", "SMS", "VOICE", "EMAIL", "BAIDU", "CUSTOM", "IN_APP");
    private static final Enumeration ACTION = new Enumeration("Action", "OPEN_APP", "DEEP_LINK", "URL");
    private static final Enumeration MESSAGE_TYPE = new Enumeration("MessageType", "TRANSACTIONAL", "PROMOTIONAL");

    private static final Structure ADDRESS_CONFIGURATION = new Structure("AddressConfiguration",
            optional("BodyOverride", STRING), optional("ChannelType", CHANNEL_TYPE), optional("Context", STRING_MAP),
            optional("RawContent", STRING), optional("Substitutions", SUBSTITUTIONS),
            optional("TitleOverride", STRING));
    private static final Structure ENDPOINT_SEND_CONFIGURATION = new Structure("EndpointSendConfiguration",
            optional("BodyOverride", STRING), optional("Context", STRING_MAP), optional("RawContent", STRING),
            optional("Substitutions", SUBSTITUTIONS), optional("TitleOverride", STRING));
    private static final MapOf ENDPOINT_SEND_CONFIGURATIONS =
            new MapOf("MapOfEndpointSendConfiguration", STRING, ENDPOINT_SEND_CONFIGURATION);

    private static final Structure DEFAULT_MESSAGE = new Structure("DefaultMessage",
            optional("Body", STRING), optional("Substitutions", SUBSTITUTIONS));
    private static final Structure SIMPLE_EMAIL_PART = new Structure("SimpleEmailPart",
            optional("Charset", STRING), optional("Data", STRING));
    private static final Structure MESSAGE_HEADER = new Structure("MessageHeader",
            optional("Name", STRING), optional("Value", STRING));
    private static final Structure EMAIL_MESSAGE = new Structure("EmailMessage",
            optional("Body", STRING), optional("FeedbackForwardingAddress", STRING), optional("FromAddress", STRING),
            optional("RawEmail", new Structure("RawEmail", optional("Data", BLOB))),
            optional("ReplyToAddresses", STRINGS),
            optional("SimpleEmail", new Structure("SimpleEmail", optional("HtmlPart", SIMPLE_EMAIL_PART),
                    optional("Subject", SIMPLE_EMAIL_PART), optional("TextPart", SIMPLE_EMAIL_PART),
                    optional("Headers", new ListOf("ListOfMessageHeader", MESSAGE_HEADER)))),
            optional("Substitutions", SUBSTITUTIONS));
    private static final Structure SMS_MESSAGE = new Structure("SMSMessage",
            optional("Body", STRING), optional("Keyword", STRING), optional("MediaUrl", STRING),
            optional("MessageType", MESSAGE_TYPE), optional("OriginationNumber", STRING),
            optional("SenderId", STRING), optional("Substitutions", SUBSTITUTIONS), optional("EntityId", STRING),
            optional("TemplateId", STRING));
    private static final Structure VOICE_MESSAGE = new Structure("VoiceMessage",
            optional("Body", STRING), optional("LanguageCode", STRING), optional("OriginationNumber", STRING),
            optional("Substitutions", SUBSTITUTIONS), optional("VoiceId", STRING));
    private static final Structure DEFAULT_PUSH = new Structure("DefaultPushNotificationMessage",
            optional("Action", ACTION), optional("Body", STRING), optional("Data", STRING_MAP),
            optional("SilentPush", BOOLEAN), optional("Substitutions", SUBSTITUTIONS), optional("Title", STRING),
            optional("Url", STRING));
    private static final Structure GCM_MESSAGE = new Structure("GCMMessage",
            optional("Action", ACTION), optional("Body", STRING), optional("CollapseKey", STRING),
            optional("Data", STRING_MAP), optional("IconReference", STRING), optional("ImageIconUrl", STRING),
            optional("ImageUrl", STRING), optional("PreferredAuthenticationMethod", STRING),
            optional("Priority", STRING), optional("RawContent", STRING), optional("RestrictedPackageName", STRING),
            optional("SilentPush", BOOLEAN), optional("SmallImageIconUrl", STRING), optional("Sound", STRING),
            optional("Substitutions", SUBSTITUTIONS), optional("TimeToLive", INTEGER), optional("Title", STRING),
            optional("Url", STRING));
    private static final Structure APNS_MESSAGE = new Structure("APNSMessage",
            optional("APNSPushType", STRING), optional("Action", ACTION), optional("Badge", INTEGER),
            optional("Body", STRING), optional("Category", STRING), optional("CollapseId", STRING),
            optional("Data", STRING_MAP), optional("MediaUrl", STRING),
            optional("PreferredAuthenticationMethod", STRING), optional("Priority", STRING),
            optional("RawContent", STRING), optional("SilentPush", BOOLEAN), optional("Sound", STRING),
            optional("Substitutions", SUBSTITUTIONS), optional("ThreadId", STRING), optional("TimeToLive", INTEGER),
            optional("Title", STRING), optional("Url", STRING));
    private static final Structure ADM_MESSAGE = new Structure("ADMMessage",
            optional("Action", ACTION), optional("Body", STRING), optional("ConsolidationKey", STRING),
            optional("Data", STRING_MAP), optional("ExpiresAfter", STRING), optional("IconReference", STRING),
            optional("ImageIconUrl", STRING), optional("ImageUrl", STRING), optional("MD5", STRING),
            optional("RawContent", STRING), optional("SilentPush", BOOLEAN), optional("SmallImageIconUrl", STRING),
            optional("Sound", STRING), optional("Substitutions", SUBSTITUTIONS), optional("Title", STRING),
            optional("Url", STRING));
    private static final Structure BAIDU_MESSAGE = new Structure("BaiduMessage",
            optional("Action", ACTION), optional("Body", STRING), optional("Data", STRING_MAP),
            optional("IconReference", STRING), optional("ImageIconUrl", STRING), optional("ImageUrl", STRING),
            optional("RawContent", STRING), optional("SilentPush", BOOLEAN), optional("SmallImageIconUrl", STRING),
            optional("Sound", STRING), optional("Substitutions", SUBSTITUTIONS), optional("TimeToLive", INTEGER),
            optional("Title", STRING), optional("Url", STRING));
    private static final Structure DIRECT_MESSAGE_CONFIGURATION = new Structure("DirectMessageConfiguration",
            optional("ADMMessage", ADM_MESSAGE), optional("APNSMessage", APNS_MESSAGE),
            optional("BaiduMessage", BAIDU_MESSAGE), optional("DefaultMessage", DEFAULT_MESSAGE),
            optional("DefaultPushNotificationMessage", DEFAULT_PUSH), optional("EmailMessage", EMAIL_MESSAGE),
            optional("GCMMessage", GCM_MESSAGE), optional("SMSMessage", SMS_MESSAGE),
            optional("VoiceMessage", VOICE_MESSAGE));

    private static final Structure TEMPLATE = new Structure("Template",
            optional("Name", STRING), optional("Version", STRING));
    private static final Structure TEMPLATE_CONFIGURATION = new Structure("TemplateConfiguration",
            optional("EmailTemplate", TEMPLATE), optional("PushTemplate", TEMPLATE),
            optional("SMSTemplate", TEMPLATE), optional("VoiceTemplate", TEMPLATE),
            optional("InAppTemplate", TEMPLATE));

    /** The body of SendMessages. */
    public static final Structure MESSAGE_REQUEST = new Structure("MessageRequest",
            optional("Addresses", new MapOf("MapOfAddressConfiguration", STRING, ADDRESS_CONFIGURATION)),
            optional("Context", STRING_MAP), optional("Endpoints", ENDPOINT_SEND_CONFIGURATIONS),
            required("MessageConfiguration", DIRECT_MESSAGE_CONFIGURATION),
            optional("TemplateConfiguration", TEMPLATE_CONFIGURATION), optional("TraceId", STRING));

    /** The body of SendUsersMessages. */
    public static final Structure SEND_USERS_MESSAGE_REQUEST = new Structure("SendUsersMessageRequest",
            optional("Context", STRING_MAP), required("MessageConfiguration", DIRECT_MESSAGE_CONFIGURATION),
            optional("TemplateConfiguration", TEMPLATE_CONFIGURATION), optional("TraceId", STRING),
            required("Users", ENDPOINT_SEND_CONFIGURATIONS));
}
