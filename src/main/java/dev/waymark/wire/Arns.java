package dev.waymark.wire;

import dev.waymark.error.ApiException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Resource names of this Waymark: {@code arn:aws:mobiletargeting:REGION:ACCOUNT:apps/ID[/journeys/ID]}. */
public final class Arns {
    private static final Pattern RESOURCE =
            Pattern.compile("arn:aws:mobiletargeting:([^:]+):([^:]+):apps/([^/]+)(?:/journeys/([^/]+))?");

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

    /** The resource an ARN names; NotFoundException for a malformed one or one of another region or account. */
    public Resource parse(String arn) {
        Matcher matcher = RESOURCE.matcher(arn);
        if (!matcher.matches() || !matcher.group(1).equals(region) || !matcher.group(2).equals(accountId)) {
            throw ApiException.notFound("No resource with the ARN '" + arn + "'; Waymark's ARNs look like "
                    + app("APPLICATION_ID") + " or " + journey("APPLICATION_ID", "JOURNEY_ID"));
        }
        return new Resource(matcher.group(3), Optional.ofNullable(matcher.group(4)));
    }

    /** An app, or a journey of an app. */
    public record Resource(String appId, Optional<String> journeyId) {}
}
