package dev.waymark.analytics;

import java.time.Instant;

/**
 * An app's event stream as PutEventStream configured it: where the app's events go ({@code destination}: a Kinesis
 * or Firehose ARN, or an https:// URL), the role Pinpoint would assume, who last wrote it and when.
 */
public record EventStream(String appId, String destination, String roleArn, String updatedBy, Instant modified) {}
