package dev.waymark.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.wire.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MessageResultsTest {
    private static MessageResults.Result of(MessageStatus.State state, int code, String message) {
        return MessageResults.of("m1", Optional.of(new MessageStatus("m1", state, 1, code, message,
                Optional.empty())));
    }

    @Test
    void eachOutboxStateHasItsDeliveryStatus() {
        assertThat(of(MessageStatus.State.DELIVERED, 250, "250 OK")).isEqualTo(
                new MessageResults.Result("SUCCESSFUL", 200, "250 OK", Optional.of("m1")));
        assertThat(of(MessageStatus.State.RETRYING, 503, "Service unavailable"))
                .extracting(MessageResults.Result::deliveryStatus, MessageResults.Result::statusCode)
                .containsExactly("TEMPORARY_FAILURE", 503);
        assertThat(of(MessageStatus.State.RETRYING, 0, "").statusCode()).isEqualTo(503);
        assertThat(of(MessageStatus.State.FAILED, 400, "Bad number"))
                .extracting(MessageResults.Result::deliveryStatus, MessageResults.Result::statusCode,
                        MessageResults.Result::statusMessage)
                .containsExactly("PERMANENT_FAILURE", 400, "Bad number");
        assertThat(of(MessageStatus.State.QUEUED, 0, ""))
                .extracting(MessageResults.Result::deliveryStatus, MessageResults.Result::statusCode)
                .containsExactly("SUCCESSFUL", 202);
        assertThat(of(MessageStatus.State.SENDING, 0, "").statusMessage()).contains("delivery continues");
        assertThat(MessageResults.of("m9", Optional.empty()).deliveryStatus()).isEqualTo("UNKNOWN_FAILURE");
    }

    @Test
    void theMessageResponseHasAResultPerAddressAndPerEndpoint() {
        SendRequest.Recipient address = new SendRequest.Recipient(SendRequest.Kind.ADDRESS, "a@example.com",
                Optional.of("EMAIL"), SendRequest.Overrides.NONE);
        SendRequest.Recipient endpoint = new SendRequest.Recipient(SendRequest.Kind.ENDPOINT, "EP-1",
                Optional.empty(), SendRequest.Overrides.NONE);
        NewMessage queued = new NewMessage("m1", "app", "direct:m1", Channel.EMAIL, "a@example.com",
                Optional.empty(), Json.MAPPER.createObjectNode(), Origin.direct(Optional.empty()), Optional.empty());
        List<DirectSend.Entry> entries = List.of(
                new DirectSend.Entry(address, Optional.empty(), Optional.of("a@example.com"), Optional.of(queued),
                        Optional.empty()),
                new DirectSend.Entry(endpoint, Optional.of("EP-1"), Optional.of("b@example.com"), Optional.empty(),
                        Optional.of(MessageResults.Result.optOut("opted out"))));
        ObjectNode response = MessageResults.messageResponse("app", "req-1", entries, Map.of("m1",
                new MessageStatus("m1", MessageStatus.State.DELIVERED, 1, 250, "OK", Optional.empty())));
        assertThat(response.toString()).isEqualTo("{\"ApplicationId\":\"app\",\"EndpointResult\":{\"EP-1\":"
                + "{\"Address\":\"b@example.com\",\"DeliveryStatus\":\"OPT_OUT\",\"StatusCode\":400,"
                + "\"StatusMessage\":\"opted out\"}},\"RequestId\":\"req-1\",\"Result\":{\"a@example.com\":"
                + "{\"DeliveryStatus\":\"SUCCESSFUL\",\"MessageId\":\"m1\",\"StatusCode\":200,\"StatusMessage\":\"OK\"}}}");
    }

    @Test
    void everyUserNamedIsInTheUsersResponse() {
        SendRequest.Recipient ada = new SendRequest.Recipient(SendRequest.Kind.USER, "ada", Optional.empty(),
                SendRequest.Overrides.NONE);
        SendRequest.Recipient nobody = new SendRequest.Recipient(SendRequest.Kind.USER, "nobody", Optional.empty(),
                SendRequest.Overrides.NONE);
        SendRequest request = new SendRequest(List.of(ada, nobody), Json.MAPPER.createObjectNode(), Map.of(),
                Map.of(), Optional.empty());
        List<DirectSend.Entry> entries = List.of(new DirectSend.Entry(ada, Optional.of("ep"), Optional.of("x"),
                Optional.empty(), Optional.of(MessageResults.Result.failure(400, "no"))));
        ObjectNode response = MessageResults.usersResponse("app", "req", request, entries, Map.of());
        assertThat(response.path("Result").path("ada").path("ep").path("DeliveryStatus").asText())
                .isEqualTo("PERMANENT_FAILURE");
        assertThat(response.path("Result").path("nobody").isObject()).isTrue();
        assertThat(response.path("Result").path("nobody").isEmpty()).isTrue();
    }
}
