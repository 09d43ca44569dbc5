package dev.waymark.audience;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;

/**
 * One event of a PutEvents request that passed {@link EventRules#read}: its members checked and normalised, not yet
 * stored. {@code session} and {@code other} (AppPackageName, AppTitle, AppVersionCode, ClientSdkVersion, SdkName)
 * are null when the event has none.
 */
record EventDraft(String eventId, String eventType, Instant timestamp, Map<String, String> attributes,
                  Map<String, Double> metrics, ObjectNode session, ObjectNode other) {}
