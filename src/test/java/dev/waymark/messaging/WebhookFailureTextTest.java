package dev.waymark.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A failure to reach the operator's webhook is told to API clients (SendMessages' StatusMessage, the event log)
 * without the webhook's address: where the operator's receivers live is not theirs to learn.
 */
class WebhookFailureTextTest {
    @Test
    void aWebhookThatCannotBeReachedIsNamedByItsChannelNotByItsAddress() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        URI url = URI.create("http://127.0.0.1:" + closedPort + "/internal/sms-gateway");
        try (WebhookTransport sms = new WebhookTransport(Channel.SMS, url, "secret", Clock.systemUTC(),
                new SignedPost.Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(1)))) {
            Delivery delivery = sms.send(new OutboundMessage("m1", "app1", "k1", Channel.SMS, "+15550100",
                    Optional.empty(), JsonNodeFactory.instance.objectNode().put("Body", "x"),
                    Origin.direct(Optional.empty()), 1));
            assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.TRANSIENT_FAILURE);
            assertThat(delivery.statusMessage()).contains("SMS webhook").doesNotContain("127.0.0.1")
                    .doesNotContain(Integer.toString(closedPort));
        }
    }
}
