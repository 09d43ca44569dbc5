package dev.waymark.messaging;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Every message is a row first and a send second (engine.md E3). Direct sends and the journey engine queue messages
 * here; the senders on every node take due rows, hand them to the channel's transport, retry transient failures with
 * back-off for up to an hour, and write each outcome's event-log records.
 */
public interface Outbox {
    /** Queues messages inside the caller's transaction (the engine queues with the participant's move). */
    void enqueue(Handle handle, List<NewMessage> messages);

    /** Queues messages in a transaction of its own. */
    void enqueue(List<NewMessage> messages);

    /**
     * Waits until each message has had its first answer from a transport (delivered, failed, or retrying) or
     * {@code timeout} passes; the status of each id asked for that exists.
     */
    Map<String, MessageStatus> awaitFirstAnswer(Collection<String> ids, Duration timeout);

    /** Withdraws a journey's messages not yet handed to a transport, held ones too (cancel, delete); how many. */
    int withdraw(Handle handle, String appId, String journeyId);

    /**
     * Holds a journey's messages not yet handed to a transport (the journey is PAUSED): no sender takes them until
     * {@link #release}; how many. A message in a transport's hands finishes its attempt.
     */
    int hold(Handle handle, String appId, String journeyId);

    /**
     * Releases a journey's held messages (resumed); how many. The pause does not count against them: a message that
     * was due is due at once, a retry waits what was left of its back-off.
     */
    int release(Handle handle, String appId, String journeyId);
}
