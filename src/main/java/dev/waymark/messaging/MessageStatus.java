package dev.waymark.messaging;

import java.util.Optional;

/**
 * Where a queued message stands. {@code statusCode}/{@code statusMessage} are the last attempt's (0 and empty before
 * any); {@code providerMessageId} is what the provider called it when it said so.
 */
public record MessageStatus(String id, State state, int attempts, int statusCode, String statusMessage,
                            Optional<String> providerMessageId) {
    /**
     * The outbox's states: QUEUED and RETRYING wait, HELD waits for its journey's resume, SENDING is in a transport's
     * hands, the rest are final.
     */
    public enum State {
        QUEUED, SENDING, RETRYING, HELD, DELIVERED, FAILED, WITHDRAWN;

        public boolean isFinal() {
            return this == DELIVERED || this == FAILED || this == WITHDRAWN;
        }
    }
}
