package dev.waymark.messaging;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An app's channel as sending sees it: its type as Pinpoint names it (EMAIL, SMS, VOICE, GCM, APNS, APNS_SANDBOX,
 * APNS_VOIP, APNS_VOIP_SANDBOX, BAIDU, ADM), whether it is enabled, and its non-secret settings as stored
 * (for EMAIL: FromAddress, ConfigurationSet, ...; for SMS: SenderId, ShortCode).
 */
public record ChannelState(String type, boolean enabled, ObjectNode settings) {}
