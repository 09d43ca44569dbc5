package dev.waymark.analytics;

import java.net.URI;

/**
 * Where an app's stream goes, read from its DestinationStreamArn: a Kinesis data stream or a Firehose delivery
 * stream (region, account and name from the ARN), or a webhook URL.
 */
record EventStreamTarget(Kind kind, String region, String name, URI url, String destination) {
    /** The three kinds of destination. */
    enum Kind { KINESIS, FIREHOSE, WEBHOOK }

    EventStreamTarget(String destination) {
        this(kindOf(destination), field(destination, 3), nameOf(destination),
                kindOf(destination) == Kind.WEBHOOK ? URI.create(destination) : null, destination);
    }

    private static Kind kindOf(String destination) {
        if (destination.startsWith("arn:")) {
            return "firehose".equals(field(destination, 2)) ? Kind.FIREHOSE : Kind.KINESIS;
        }
        return Kind.WEBHOOK;
    }

    /** arn:partition:service:region:account:resource: the field at {@code index}, "" for a URL. */
    private static String field(String destination, int index) {
        if (!destination.startsWith("arn:")) {
            return "";
        }
        String[] parts = destination.split(":", 6);
        return parts.length > index ? parts[index] : "";
    }

    private static String nameOf(String destination) {
        String resource = field(destination, 5);
        int slash = resource.indexOf('/');
        return slash < 0 ? resource : resource.substring(slash + 1);
    }
}
