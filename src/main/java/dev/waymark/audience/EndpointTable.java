package dev.waymark.audience;

/**
 * The columns of a stored endpoint that an {@link EndpointFilter} may read, so that segments can be evaluated inside
 * the database without knowing the audience's tables. Maps and structures are JSON: TEXT read with SQLite's json
 * functions, JSONB on PostgreSQL. The endpoint row is always {@code e}.
 */
public final class EndpointTable {
    /** The endpoint id lower-cased: the key endpoints are ordered and paged by. */
    public static final String KEY = "e.id_key";
    /** ChannelType (text, may be NULL). */
    public static final String CHANNEL_TYPE = "e.channel_type";
    /** Location.Country (text, may be NULL). */
    public static final String COUNTRY = "e.country";
    /** Location.Latitude (double, may be NULL). */
    public static final String LATITUDE = "e.latitude";
    /** Location.Longitude (double, may be NULL). */
    public static final String LONGITUDE = "e.longitude";
    /** Attributes: a JSON object of name to array of strings, or NULL when the endpoint has none. */
    public static final String ATTRIBUTES = "e.attributes";
    /** User.UserAttributes: a JSON object of name to array of strings, or NULL. */
    public static final String USER_ATTRIBUTES = "e.user_attributes";
    /** Metrics: a JSON object of name to number, or NULL. */
    public static final String METRICS = "e.metrics";
    /** Demographic: a JSON object of the EndpointDemographic members (strings), or NULL. */
    public static final String DEMOGRAPHIC = "e.demographic";

    private EndpointTable() {
    }

    /**
     * True when the endpoint has an event whose Timestamp is at or after the epoch milliseconds bound to
     * {@code :sinceParameter} (the events PutEvents recorded; an index on (app, endpoint, timestamp) answers it).
     */
    public static String hasEventSince(String sinceParameter) {
        return "EXISTS (SELECT 1 FROM events ev WHERE ev.app_id = e.app_id AND ev.endpoint_key = e.id_key"
                + " AND ev.timestamp_ms >= :" + sinceParameter + ")";
    }

    /** True when an import job registered the endpoint in the IMPORT segment whose id is bound to {@code :segment}. */
    public static String importedInto(String segmentParameter) {
        return "EXISTS (SELECT 1 FROM import_segment_members m WHERE m.app_id = e.app_id AND m.segment_id = :"
                + segmentParameter + " AND m.endpoint_key = e.id_key)";
    }
}
