package dev.waymark.messaging;

import java.time.Duration;

/**
 * Hands messages of one channel to the outside world (an SMTP server, a webhook, a CUSTOM receiver). The outbox calls
 * {@link #send} from a thread pool of that channel's own, so one slow transport never delays another.
 */
public interface Transport extends AutoCloseable {
    /** The channel this transport carries. */
    Channel channel();

    /**
     * Sends one message and waits for the provider's answer, bounded by the transport's own timeouts. Failures are
     * answers, not exceptions: an unexpected exception is treated by the outbox as a transient failure.
     */
    Delivery send(OutboundMessage message);

    /**
     * The longest one {@link #send} can take, all its timeouts included. The outbox hands a message over only while
     * this much of its claim is left (at most half the lease): another node may take over a message only after its
     * claim ran out, and must then find that this node's hand-over is over. Zero (the default) says nothing: a
     * message is then only not handed over once its claim has run out.
     */
    default Duration longestSend() {
        return Duration.ZERO;
    }

    @Override
    default void close() {}
}
