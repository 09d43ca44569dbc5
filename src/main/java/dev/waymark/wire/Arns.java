package dev.waymark.wire;

import dev.waymark.error.ApiException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resource names of this Waymark: {@code arn:aws:mobiletargeting:REGION:ACCOUNT:apps/ID[/journeys/ID|/segments/ID]}
 * and, account-level, {@code arn:aws:mobiletargeting:REGION:ACCOUNT:templates/NAME/TYPE}.
 */
public final class Arns {
    private static final Pattern RESOURCE =
            Pattern.compile("arn:aws:mobiletargeting:([^:]+):([^:]+):apps/([^/]+)(?:/(journeys|segments)/([^/]+))?");
    private static final Pattern TEMPLATE =
            Pattern.compile("arn:aws:mobiletargeting:([^:]+):([^:]+):templates/([^/]+)/(EMAIL|SMS|PUSH|VOICE|INAPP)");

    private final String region;
    private final String accountId;

    public Arns(String region, String accountId) {
        this.region = region;
        this.accountId = accountId;
    }

    public String app(String appId) {
        return "arn:aws:mobiletargeting:" + region + ":" + accountId + ":apps/" + appId;
    }

    public String journey(String appId, String journeyId) {
        return app(appId) + "/journeys/" + journeyId;
    }

    public String segment(String appId, String segmentId) {
        return app(appId) + "/segments/" + segmentId;
    }

    /** A message template's ARN; {@code type} is upper case, e.g. EMAIL. */
    public String template(String name, String type) {
        return "arn:aws:mobiletargeting:" + region + ":" + accountId + ":templates/" + name + "/" + type;
    }

    /** The id a template's tags are kept under: names are unique per type only, and apart from every app id. */
    public static String templateTagId(String type, String name) {
        return "templates/" + type + "/" + name;
    }

    /**
     * The id a segment's tags are kept under: segment ids are scoped to their app and may be chosen by a client (an
     * import job's SegmentId), so the bare id could be another app's or journey's.
     */
    public static String segmentTagId(String appId, String segmentId) {
        return "segments/" + appId + "/" + segmentId;
    }

    /** The resource an ARN names; NotFoundException for a malformed one or one of another region or account. */
    public Resource parse(String arn) {
        Matcher template = TEMPLATE.matcher(arn);
        if (template.matches() && template.group(1).equals(region) && template.group(2).equals(accountId)) {
            return new Resource(null, Optional.empty(), Optional.empty(),
                    Optional.of(new Template(template.group(3), template.group(4))));
        }
        Matcher matcher = RESOURCE.matcher(arn);
        if (!matcher.matches() || !matcher.group(1).equals(region) || !matcher.group(2).equals(accountId)) {
            throw ApiException.notFound("No resource with the ARN '" + arn + "'; Waymark's ARNs look like "
                    + app("APPLICATION_ID") + ", " + journey("APPLICATION_ID", "JOURNEY_ID") + " or "
                    + segment("APPLICATION_ID", "SEGMENT_ID") + " or " + template("TEMPLATE_NAME", "EMAIL"));
        }
        String kind = matcher.group(4);
        Optional<String> child = Optional.ofNullable(matcher.group(5));
        return new Resource(matcher.group(3), "journeys".equals(kind) ? child : Optional.empty(),
                "segments".equals(kind) ? child : Optional.empty(), Optional.empty());
    }

    /** A message template by name and upper-case type. */
    public record Template(String name, String type) {}

    /** An app, or a journey or a segment of an app; or a message template, when appId is null. */
    public record Resource(String appId, Optional<String> journeyId, Optional<String> segmentId,
                           Optional<Template> template) {
        /** An app, or a journey or a segment of it. */
        public Resource(String appId, Optional<String> journeyId, Optional<String> segmentId) {
            this(appId, journeyId, segmentId, Optional.empty());
        }

        /** The id tags are kept under: the template's, the journey's or the segment's, else the app's. */
        public String resourceId() {
            return template.map(named -> templateTagId(named.type(), named.name()))
                    .or(() -> journeyId.or(() -> segmentId.map(segment -> segmentTagId(appId, segment))))
                    .orElse(appId);
        }
    }
}
