package dev.waymark.wire;

import static dev.waymark.wire.Shape.Member.optional;
import static dev.waymark.wire.Shape.Member.renamed;
import static dev.waymark.wire.Shape.Member.required;

import dev.waymark.wire.Shape.Enumeration;
import dev.waymark.wire.Shape.Kind;
import dev.waymark.wire.Shape.ListOf;
import dev.waymark.wire.Shape.MapOf;
import dev.waymark.wire.Shape.Scalar;
import dev.waymark.wire.Shape.Structure;

/**
 * The request shapes of the Pinpoint operations Waymark serves, as the 2016-12-01 service model defines them.
 * Written out by hand from the wire contract; a test compares every shape with the model itself.
 */
public final class PinpointShapes {
    private PinpointShapes() {}

    static final Scalar STRING = new Scalar("__string", Kind.STRING);
    static final Scalar INTEGER = new Scalar("__integer", Kind.INTEGER);
    static final Scalar BOOLEAN = new Scalar("__boolean", Kind.BOOLEAN);
    static final Scalar DOUBLE = new Scalar("__double", Kind.DOUBLE);
    static final Scalar TIMESTAMP = new Scalar("__timestampIso8601", Kind.TIMESTAMP);

    static final ListOf STRINGS = new ListOf("ListOf__string", STRING);
    static final MapOf STRING_MAP = new MapOf("MapOf__string", STRING, STRING);

    public static final Enumeration STATE =
            new Enumeration("State", "DRAFT", "ACTIVE", "COMPLETED", "CANCELLED", "CLOSED", "PAUSED");
    static final Enumeration ENDPOINT_TYPE = new Enumeration("__EndpointTypesElement",
            "PUSH", "GCM", "APNS", "APNS_SANDBOX", "APNS_VOIP", "APNS_VOIP_SANDBOX", "ADM", "SMS", "VOICE",
            "EMAIL", "BAIDU", "CUSTOM", "IN_APP");
    static final Enumeration ATTRIBUTE_TYPE = new Enumeration("AttributeType",
            "INCLUSIVE", "EXCLUSIVE", "CONTAINS", "BEFORE", "AFTER", "ON", "BETWEEN");
    static final Enumeration DIMENSION_TYPE = new Enumeration("DimensionType", "INCLUSIVE", "EXCLUSIVE");
    static final Enumeration DURATION = new Enumeration("Duration", "HR_24", "DAY_7", "DAY_14", "DAY_30");
    static final Enumeration RECENCY_TYPE = new Enumeration("RecencyType", "ACTIVE", "INACTIVE");
    static final Enumeration OPERATOR = new Enumeration("Operator", "ALL", "ANY");
    static final Enumeration MESSAGE_TYPE = new Enumeration("MessageType", "TRANSACTIONAL", "PROMOTIONAL");
    static final Enumeration FILTER_TYPE = new Enumeration("FilterType", "SYSTEM", "ENDPOINT");
    static final Enumeration DAY_OF_WEEK = new Enumeration("DayOfWeek",
            "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY");
    static final Enumeration TIMEZONE_ESTIMATION = new Enumeration("__TimezoneEstimationMethodsElement",
            "PHONE_NUMBER", "POSTAL_CODE");

    static final Structure SET_DIMENSION = new Structure("SetDimension",
            optional("DimensionType", DIMENSION_TYPE), required("Values", STRINGS));
    static final Structure ATTRIBUTE_DIMENSION = new Structure("AttributeDimension",
            optional("AttributeType", ATTRIBUTE_TYPE), required("Values", STRINGS));
    static final MapOf ATTRIBUTE_DIMENSIONS =
            new MapOf("MapOfAttributeDimension", STRING, ATTRIBUTE_DIMENSION);
    static final Structure METRIC_DIMENSION = new Structure("MetricDimension",
            required("ComparisonOperator", STRING), required("Value", DOUBLE));
    static final MapOf METRIC_DIMENSIONS = new MapOf("MapOfMetricDimension", STRING, METRIC_DIMENSION);

    static final Structure EVENT_DIMENSIONS = new Structure("EventDimensions",
            optional("Attributes", ATTRIBUTE_DIMENSIONS), optional("EventType", SET_DIMENSION),
            optional("Metrics", METRIC_DIMENSIONS));
    static final Structure EVENT_CONDITION = new Structure("EventCondition",
            optional("Dimensions", EVENT_DIMENSIONS), optional("MessageActivity", STRING));
    static final Structure SEGMENT_CONDITION = new Structure("SegmentCondition", required("SegmentId", STRING));

    static final Structure RECENCY = new Structure("RecencyDimension",
            required("Duration", DURATION), required("RecencyType", RECENCY_TYPE));
    static final Structure BEHAVIORS = new Structure("SegmentBehaviors", optional("Recency", RECENCY));
    static final Structure DEMOGRAPHICS = new Structure("SegmentDemographics",
            optional("AppVersion", SET_DIMENSION), optional("Channel", SET_DIMENSION),
            optional("DeviceType", SET_DIMENSION), optional("Make", SET_DIMENSION),
            optional("Model", SET_DIMENSION), optional("Platform", SET_DIMENSION));
    static final Structure GPS_COORDINATES = new Structure("GPSCoordinates",
            required("Latitude", DOUBLE), required("Longitude", DOUBLE));
    static final Structure GPS_POINT = new Structure("GPSPointDimension",
            required("Coordinates", GPS_COORDINATES), optional("RangeInKilometers", DOUBLE));
    static final Structure LOCATION = new Structure("SegmentLocation",
            optional("Country", SET_DIMENSION), optional("GPSPoint", GPS_POINT));
    static final Structure SEGMENT_DIMENSIONS = new Structure("SegmentDimensions",
            optional("Attributes", ATTRIBUTE_DIMENSIONS), optional("Behavior", BEHAVIORS),
            optional("Demographic", DEMOGRAPHICS), optional("Location", LOCATION),
            optional("Metrics", METRIC_DIMENSIONS), optional("UserAttributes", ATTRIBUTE_DIMENSIONS));

    static final Structure SIMPLE_CONDITION = new Structure("SimpleCondition",
            optional("EventCondition", EVENT_CONDITION), optional("SegmentCondition", SEGMENT_CONDITION),
            renamed("SegmentDimensions", "segmentDimensions", SEGMENT_DIMENSIONS, false));
    static final Structure CONDITION = new Structure("Condition",
            optional("Conditions", new ListOf("ListOfSimpleCondition", SIMPLE_CONDITION)),
            optional("Operator", OPERATOR));
    static final Structure WAIT_TIME = new Structure("WaitTime",
            optional("WaitFor", STRING), optional("WaitUntil", STRING));

    static final Structure CUSTOM_ACTIVITY = new Structure("CustomMessageActivity",
            optional("DeliveryUri", STRING),
            optional("EndpointTypes", new ListOf("ListOf__EndpointTypesElement", ENDPOINT_TYPE)),
            optional("MessageConfig", new Structure("JourneyCustomMessage", optional("Data", STRING))),
            optional("NextActivity", STRING), optional("TemplateName", STRING),
            optional("TemplateVersion", STRING));
    static final Structure CONDITIONAL_SPLIT = new Structure("ConditionalSplitActivity",
            optional("Condition", CONDITION), optional("EvaluationWaitTime", WAIT_TIME),
            optional("FalseActivity", STRING), optional("TrueActivity", STRING));
    static final Structure EMAIL_ACTIVITY = new Structure("EmailMessageActivity",
            optional("MessageConfig", new Structure("JourneyEmailMessage", optional("FromAddress", STRING))),
            optional("NextActivity", STRING), optional("TemplateName", STRING),
            optional("TemplateVersion", STRING));
    static final Structure HOLDOUT = new Structure("HoldoutActivity",
            optional("NextActivity", STRING), required("Percentage", INTEGER));
    static final Structure MULTI_CONDITION = new Structure("MultiConditionalSplitActivity",
            optional("Branches", new ListOf("ListOfMultiConditionalBranch", new Structure("MultiConditionalBranch",
                    optional("Condition", SIMPLE_CONDITION), optional("NextActivity", STRING)))),
            optional("DefaultActivity", STRING), optional("EvaluationWaitTime", WAIT_TIME));
    static final Structure PUSH_ACTIVITY = new Structure("PushMessageActivity",
            optional("MessageConfig", new Structure("JourneyPushMessage", optional("TimeToLive", STRING))),
            optional("NextActivity", STRING), optional("TemplateName", STRING),
            optional("TemplateVersion", STRING));
    static final Structure RANDOM_SPLIT = new Structure("RandomSplitActivity",
            optional("Branches", new ListOf("ListOfRandomSplitEntry", new Structure("RandomSplitEntry",
                    optional("NextActivity", STRING), optional("Percentage", INTEGER)))));
    static final Structure SMS_ACTIVITY = new Structure("SMSMessageActivity",
            optional("MessageConfig", new Structure("JourneySMSMessage",
                    optional("MessageType", MESSAGE_TYPE), optional("OriginationNumber", STRING),
                    optional("SenderId", STRING), optional("EntityId", STRING), optional("TemplateId", STRING))),
            optional("NextActivity", STRING), optional("TemplateName", STRING),
            optional("TemplateVersion", STRING));
    static final Structure WAIT_ACTIVITY = new Structure("WaitActivity",
            optional("NextActivity", STRING), optional("WaitTime", WAIT_TIME));
    static final Structure CONTACT_CENTER = new Structure("ContactCenterActivity",
            optional("NextActivity", STRING));

    public static final Structure ACTIVITY = new Structure("Activity",
            optional("CUSTOM", CUSTOM_ACTIVITY), optional("ConditionalSplit", CONDITIONAL_SPLIT),
            optional("Description", STRING), optional("EMAIL", EMAIL_ACTIVITY), optional("Holdout", HOLDOUT),
            optional("MultiCondition", MULTI_CONDITION), optional("PUSH", PUSH_ACTIVITY),
            optional("RandomSplit", RANDOM_SPLIT), optional("SMS", SMS_ACTIVITY), optional("Wait", WAIT_ACTIVITY),
            optional("ContactCenter", CONTACT_CENTER));

    static final Structure LIMITS = new Structure("JourneyLimits",
            optional("DailyCap", INTEGER), optional("EndpointReentryCap", INTEGER),
            optional("MessagesPerSecond", INTEGER), optional("EndpointReentryInterval", STRING),
            optional("TimeframeCap", new Structure("JourneyTimeframeCap",
                    optional("Cap", INTEGER), optional("Days", INTEGER))),
            optional("TotalCap", INTEGER));
    static final Structure QUIET_TIME = new Structure("QuietTime", optional("End", STRING), optional("Start", STRING));
    static final Structure SCHEDULE = new Structure("JourneySchedule",
            optional("EndTime", TIMESTAMP), optional("StartTime", TIMESTAMP), optional("Timezone", STRING));
    static final Structure START_CONDITION = new Structure("StartCondition",
            optional("Description", STRING),
            optional("EventStartCondition", new Structure("EventStartCondition",
                    optional("EventFilter", new Structure("EventFilter",
                            required("Dimensions", EVENT_DIMENSIONS), required("FilterType", FILTER_TYPE))),
                    optional("SegmentId", STRING))),
            optional("SegmentStartCondition", SEGMENT_CONDITION));
    static final Structure CHANNEL_SETTINGS = new Structure("JourneyChannelSettings",
            optional("ConnectCampaignArn", STRING), optional("ConnectCampaignExecutionRoleArn", STRING));

    static final MapOf OPEN_HOURS_BY_DAY = new MapOf("MapOfListOfOpenHoursRules", DAY_OF_WEEK,
            new ListOf("ListOfOpenHoursRules", new Structure("OpenHoursRule",
                    optional("StartTime", STRING), optional("EndTime", STRING))));
    static final Structure OPEN_HOURS = new Structure("OpenHours",
            optional("EMAIL", OPEN_HOURS_BY_DAY), optional("SMS", OPEN_HOURS_BY_DAY),
            optional("PUSH", OPEN_HOURS_BY_DAY), optional("VOICE", OPEN_HOURS_BY_DAY),
            optional("CUSTOM", OPEN_HOURS_BY_DAY));
    static final ListOf CLOSED_DAYS_RULES = new ListOf("ListOfClosedDaysRules", new Structure("ClosedDaysRule",
            optional("Name", STRING), optional("StartDateTime", STRING), optional("EndDateTime", STRING)));
    static final Structure CLOSED_DAYS = new Structure("ClosedDays",
            optional("EMAIL", CLOSED_DAYS_RULES), optional("SMS", CLOSED_DAYS_RULES),
            optional("PUSH", CLOSED_DAYS_RULES), optional("VOICE", CLOSED_DAYS_RULES),
            optional("CUSTOM", CLOSED_DAYS_RULES));

    /** The body of CreateJourney and UpdateJourney. */
    public static final Structure WRITE_JOURNEY_REQUEST = new Structure("WriteJourneyRequest",
            optional("Activities", new MapOf("MapOfActivity", STRING, ACTIVITY)),
            optional("CreationDate", STRING), optional("LastModifiedDate", STRING),
            optional("Limits", LIMITS), optional("LocalTime", BOOLEAN), required("Name", STRING),
            optional("QuietTime", QUIET_TIME), optional("RefreshFrequency", STRING),
            optional("Schedule", SCHEDULE), optional("StartActivity", STRING),
            optional("StartCondition", START_CONDITION), optional("State", STATE),
            optional("WaitForQuietTime", BOOLEAN), optional("RefreshOnSegmentUpdate", BOOLEAN),
            optional("JourneyChannelSettings", CHANNEL_SETTINGS), optional("SendingSchedule", BOOLEAN),
            optional("OpenHours", OPEN_HOURS), optional("ClosedDays", CLOSED_DAYS),
            optional("TimezoneEstimationMethods",
                    new ListOf("ListOf__TimezoneEstimationMethodsElement", TIMEZONE_ESTIMATION)));

    static final Enumeration INCLUDE = new Enumeration("Include", "ALL", "ANY", "NONE");
    static final Enumeration SOURCE_TYPE = new Enumeration("SourceType", "ALL", "ANY", "NONE");
    static final Enumeration GROUP_TYPE = new Enumeration("Type", "ALL", "ANY", "NONE");
    static final Structure SEGMENT_REFERENCE = new Structure("SegmentReference",
            required("Id", STRING), optional("Version", INTEGER));
    static final Structure SEGMENT_GROUP = new Structure("SegmentGroup",
            optional("Dimensions", new ListOf("ListOfSegmentDimensions", SEGMENT_DIMENSIONS)),
            optional("SourceSegments", new ListOf("ListOfSegmentReference", SEGMENT_REFERENCE)),
            optional("SourceType", SOURCE_TYPE), optional("Type", GROUP_TYPE));
    static final Structure SEGMENT_GROUP_LIST = new Structure("SegmentGroupList",
            optional("Groups", new ListOf("ListOfSegmentGroup", SEGMENT_GROUP)), optional("Include", INCLUDE));

    /** The body of CreateSegment and UpdateSegment. */
    public static final Structure WRITE_SEGMENT_REQUEST = new Structure("WriteSegmentRequest",
            optional("Dimensions", SEGMENT_DIMENSIONS), optional("Name", STRING),
            optional("SegmentGroups", SEGMENT_GROUP_LIST), renamed("tags", "tags", STRING_MAP, false));

    /** The body of CreateApp. */
    public static final Structure CREATE_APPLICATION_REQUEST = new Structure("CreateApplicationRequest",
            required("Name", STRING), renamed("tags", "tags", STRING_MAP, false));

    /** The body of TagResource. */
    public static final Structure TAGS_MODEL = new Structure("TagsModel", renamed("tags", "tags", STRING_MAP, true));

    /** The body of UpdateJourneyState. */
    public static final Structure JOURNEY_STATE_REQUEST = new Structure("JourneyStateRequest", optional("State", STATE));

    static final Enumeration ACTION = new Enumeration("Action", "OPEN_APP", "DEEP_LINK", "URL");
    static final Enumeration LAYOUT = new Enumeration("Layout",
            "BOTTOM_BANNER", "TOP_BANNER", "OVERLAYS", "MOBILE_FEED", "MIDDLE_BANNER", "CAROUSEL");
    static final Enumeration ALIGNMENT = new Enumeration("Alignment", "LEFT", "CENTER", "RIGHT");
    static final Enumeration BUTTON_ACTION = new Enumeration("ButtonAction", "LINK", "DEEP_LINK", "CLOSE");
    static final Structure MESSAGE_HEADER = new Structure("MessageHeader",
            optional("Name", STRING), optional("Value", STRING));

    /** The body of CreateEmailTemplate and UpdateEmailTemplate. */
    public static final Structure EMAIL_TEMPLATE_REQUEST = new Structure("EmailTemplateRequest",
            optional("DefaultSubstitutions", STRING), optional("HtmlPart", STRING), optional("RecommenderId", STRING),
            optional("Subject", STRING), optional("Headers", new ListOf("ListOfMessageHeader", MESSAGE_HEADER)),
            renamed("tags", "tags", STRING_MAP, false), optional("TemplateDescription", STRING),
            optional("TextPart", STRING));
    /** The body of CreateSmsTemplate and UpdateSmsTemplate. */
    public static final Structure SMS_TEMPLATE_REQUEST = new Structure("SMSTemplateRequest",
            optional("Body", STRING), optional("DefaultSubstitutions", STRING), optional("RecommenderId", STRING),
            renamed("tags", "tags", STRING_MAP, false), optional("TemplateDescription", STRING));
    /** The body of CreateVoiceTemplate and UpdateVoiceTemplate. */
    public static final Structure VOICE_TEMPLATE_REQUEST = new Structure("VoiceTemplateRequest",
            optional("Body", STRING), optional("DefaultSubstitutions", STRING), optional("LanguageCode", STRING),
            renamed("tags", "tags", STRING_MAP, false), optional("TemplateDescription", STRING),
            optional("VoiceId", STRING));
    static final Structure ANDROID_PUSH_TEMPLATE = new Structure("AndroidPushNotificationTemplate",
            optional("Action", ACTION), optional("Body", STRING), optional("ImageIconUrl", STRING),
            optional("ImageUrl", STRING), optional("RawContent", STRING), optional("SmallImageIconUrl", STRING),
            optional("Sound", STRING), optional("Title", STRING), optional("Url", STRING));
    static final Structure APNS_PUSH_TEMPLATE = new Structure("APNSPushNotificationTemplate",
            optional("Action", ACTION), optional("Body", STRING), optional("MediaUrl", STRING),
            optional("RawContent", STRING), optional("Sound", STRING), optional("Title", STRING),
            optional("Url", STRING));
    static final Structure DEFAULT_PUSH_TEMPLATE = new Structure("DefaultPushNotificationTemplate",
            optional("Action", ACTION), optional("Body", STRING), optional("Sound", STRING),
            optional("Title", STRING), optional("Url", STRING));
    /** The body of CreatePushTemplate and UpdatePushTemplate. */
    public static final Structure PUSH_TEMPLATE_REQUEST = new Structure("PushNotificationTemplateRequest",
            optional("ADM", ANDROID_PUSH_TEMPLATE), optional("APNS", APNS_PUSH_TEMPLATE),
            optional("Baidu", ANDROID_PUSH_TEMPLATE), optional("Default", DEFAULT_PUSH_TEMPLATE),
            optional("DefaultSubstitutions", STRING), optional("GCM", ANDROID_PUSH_TEMPLATE),
            optional("RecommenderId", STRING), renamed("tags", "tags", STRING_MAP, false),
            optional("TemplateDescription", STRING));
    static final Structure OVERRIDE_BUTTON = new Structure("OverrideButtonConfiguration",
            required("ButtonAction", BUTTON_ACTION), optional("Link", STRING));
    static final Structure IN_APP_BUTTON = new Structure("InAppMessageButton",
            optional("Android", OVERRIDE_BUTTON),
            optional("DefaultConfig", new Structure("DefaultButtonConfiguration",
                    optional("BackgroundColor", STRING), optional("BorderRadius", INTEGER),
                    required("ButtonAction", BUTTON_ACTION), optional("Link", STRING), required("Text", STRING),
                    optional("TextColor", STRING))),
            optional("IOS", OVERRIDE_BUTTON), optional("Web", OVERRIDE_BUTTON));
    static final Structure IN_APP_CONTENT = new Structure("InAppMessageContent",
            optional("BackgroundColor", STRING),
            optional("BodyConfig", new Structure("InAppMessageBodyConfig", required("Alignment", ALIGNMENT),
                    required("Body", STRING), required("TextColor", STRING))),
            optional("HeaderConfig", new Structure("InAppMessageHeaderConfig", required("Alignment", ALIGNMENT),
                    required("Header", STRING), required("TextColor", STRING))),
            optional("ImageUrl", STRING), optional("PrimaryBtn", IN_APP_BUTTON),
            optional("SecondaryBtn", IN_APP_BUTTON));
    /** The body of CreateInAppTemplate and UpdateInAppTemplate. */
    public static final Structure IN_APP_TEMPLATE_REQUEST = new Structure("InAppTemplateRequest",
            optional("Content", new ListOf("ListOfInAppMessageContent", IN_APP_CONTENT)),
            optional("CustomConfig", STRING_MAP), optional("Layout", LAYOUT),
            renamed("tags", "tags", STRING_MAP, false), optional("TemplateDescription", STRING));
    /** The body of UpdateTemplateActiveVersion. */
    public static final Structure TEMPLATE_ACTIVE_VERSION_REQUEST = new Structure("TemplateActiveVersionRequest",
            optional("Version", STRING));
}
