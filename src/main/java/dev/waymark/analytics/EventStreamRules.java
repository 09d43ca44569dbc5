package dev.waymark.analytics;

import dev.waymark.rules.RuleViolation;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * What PutEventStream accepts: DestinationStreamArn is an Amazon Kinesis data stream or Firehose delivery stream
 * ARN, or an https:// URL (Waymark's extension, for a webhook); RoleArn an IAM role ARN.
 */
final class EventStreamRules {
    /** Longer than any ARN or URL a destination needs. */
    static final int MAX_LENGTH = 2048;
    private static final String PARTITION = "arn:aws(-cn|-us-gov|-iso|-iso-b)?:";
    private static final Pattern KINESIS = Pattern.compile(PARTITION
            + "kinesis:[a-z0-9-]{1,32}:[0-9]{12}:stream/[A-Za-z0-9_.-]{1,128}");
    private static final Pattern FIREHOSE = Pattern.compile(PARTITION
            + "firehose:[a-z0-9-]{1,32}:[0-9]{12}:deliverystream/[A-Za-z0-9_.-]{1,64}");
    private static final Pattern ROLE = Pattern.compile(PARTITION
            + "iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}");

    private EventStreamRules() {}

    static void check(String destination, String roleArn) {
        check(destination, roleArn, false);
    }

    /** As above; with {@code allowHttp} an http:// URL is a destination too (--allow-http-delivery). */
    static void check(String destination, String roleArn, boolean allowHttp) {
        if (destination.length() > MAX_LENGTH || roleArn.length() > MAX_LENGTH) {
            throw new RuleViolation("DestinationStreamArn and RoleArn are at most " + MAX_LENGTH + " characters");
        }
        if (!KINESIS.matcher(destination).matches() && !FIREHOSE.matcher(destination).matches()
                && !isHttpsUrl(destination) && !(allowHttp && isHttpsUrl("https://" + httpRest(destination)))) {
            throw new RuleViolation("DestinationStreamArn must be an Amazon Kinesis data stream ARN "
                    + "(arn:aws:kinesis:<region>:<account>:stream/<name>), an Amazon Data Firehose delivery stream ARN "
                    + "(arn:aws:firehose:<region>:<account>:deliverystream/<name>) or an https:// URL, not '"
                    + shorten(destination) + "'");
        }
        if (!ROLE.matcher(roleArn).matches()) {
            throw new RuleViolation("RoleArn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), not '"
                    + shorten(roleArn) + "'");
        }
    }

    /** What follows http:// (so that an http URL is checked as its https twin), or text that fails the check. */
    private static String httpRest(String text) {
        return text.startsWith("http://") ? text.substring("http://".length()) : " ";
    }

    private static boolean isHttpsUrl(String text) {
        if (!text.startsWith("https://")) {
            return false;
        }
        try {
            URI uri = new URI(text);
            return uri.getHost() != null && !uri.getHost().isEmpty() && uri.getUserInfo() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String shorten(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "…" : text;
    }
}
