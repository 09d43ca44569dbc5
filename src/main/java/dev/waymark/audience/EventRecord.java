package dev.waymark.audience;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * An event as stored: the app, the endpoint's key (its id lower-cased, as endpoints are keyed), the event id given by
 * the client, its type, when it happened ({@code timestamp}, the client's) and when Waymark received it, its
 * attributes and metrics, its Session (Id, StartTimestamp, StopTimestamp, Duration) and the free-text members
 * (AppPackageName, AppTitle, AppVersionCode, ClientSdkVersion, SdkName) when it has them.
 */
public record EventRecord(String appId, String endpointKey, String eventId, String eventType, Instant timestamp,
                          Instant received, Map<String, String> attributes, Map<String, Double> metrics,
                          Optional<ObjectNode> session, Optional<ObjectNode> other) {}
