package dev.waymark.messaging;

/** The ways a message leaves Waymark: each has its own transport, so a slow one never holds up another. */
public enum Channel {
    EMAIL, SMS, PUSH, VOICE, CUSTOM
}
