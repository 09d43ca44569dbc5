package dev.waymark.audience;

import static dev.waymark.wire.Shape.Member.optional;

import dev.waymark.wire.Shape.Enumeration;
import dev.waymark.wire.Shape.Kind;
import dev.waymark.wire.Shape.ListOf;
import dev.waymark.wire.Shape.MapOf;
import dev.waymark.wire.Shape.Scalar;
import dev.waymark.wire.Shape.Structure;

/** The request shapes of the endpoint operations, as the 2016-12-01 service model defines them. */
final class EndpointShapes {
    private EndpointShapes() {}

    private static final Scalar STRING = new Scalar("__string", Kind.STRING);
    private static final Scalar DOUBLE = new Scalar("__double", Kind.DOUBLE);
    private static final ListOf STRINGS = new ListOf("ListOf__string", STRING);
    private static final MapOf ATTRIBUTES = new MapOf("MapOfListOf__string", STRING, STRINGS);
    private static final MapOf METRICS = new MapOf("MapOf__double", STRING, DOUBLE);

    static final Enumeration CHANNEL_TYPE = new Enumeration("ChannelType", "PUSH", "GCM", "APNS", "APNS_SANDBOX",
            "APNS_VOIP", "APNS_VOIP_SANDBOX", "ADM", "SMS", "VOICE", "EMAIL", "BAIDU", "CUSTOM", "IN_APP");

    static final Structure DEMOGRAPHIC = new Structure("EndpointDemographic",
            optional("AppVersion", STRING), optional("Locale", STRING), optional("Make", STRING),
            optional("Model", STRING), optional("ModelVersion", STRING), optional("Platform", STRING),
            optional("PlatformVersion", STRING), optional("Timezone", STRING));
    static final Structure LOCATION = new Structure("EndpointLocation",
            optional("City", STRING), optional("Country", STRING), optional("Latitude", DOUBLE),
            optional("Longitude", DOUBLE), optional("PostalCode", STRING), optional("Region", STRING));
    static final Structure USER = new Structure("EndpointUser",
            optional("UserAttributes", ATTRIBUTES), optional("UserId", STRING));

    /** EndpointBatchItem; EndpointRequest and PublicEndpoint are the same members without Id. */
    static final Structure BATCH_ITEM = new Structure("EndpointBatchItem",
            optional("Address", STRING), optional("Attributes", ATTRIBUTES), optional("ChannelType", CHANNEL_TYPE),
            optional("Demographic", DEMOGRAPHIC), optional("EffectiveDate", STRING),
            optional("EndpointStatus", STRING), optional("Id", STRING), optional("Location", LOCATION),
            optional("Metrics", METRICS), optional("OptOut", STRING), optional("RequestId", STRING),
            optional("User", USER));

    static final Structure BATCH = new Structure("EndpointBatchRequest",
            dev.waymark.wire.Shape.Member.required("Item", new ListOf("ListOfEndpointBatchItem", BATCH_ITEM)));

    static final Structure UPDATE_ATTRIBUTES = new Structure("UpdateAttributesRequest",
            optional("Blacklist", STRINGS));
}
