package dev.waymark.messaging;

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

    @Override
    default void close() {}
}
