package dev.waymark.messaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.wire.Json;
import java.util.Map;
import java.util.Optional;

/**
 * The answers of the direct sends: MessageResponse (Result per address, EndpointResult per endpoint) and
 * SendUsersMessageResponse (Result per user, then per endpoint), each entry Pinpoint's DeliveryStatus, StatusCode,
 * StatusMessage and, for a message that was queued, its MessageId.
 */
final class MessageResults {
    private MessageResults() {}

    /** One recipient's MessageResult (or EndpointMessageResult, with the address). */
    record Result(String deliveryStatus, int statusCode, String statusMessage, Optional<String> messageId) {
        static Result failure(int statusCode, String message) {
            return new Result("PERMANENT_FAILURE", statusCode, message, Optional.empty());
        }

        static Result optOut(String message) {
            return new Result("OPT_OUT", 400, message, Optional.empty());
        }

        static Result duplicate(String message) {
            return new Result("DUPLICATE", 400, message, Optional.empty());
        }
    }

    /**
     * What a queued message's status says once the send stops waiting. DELIVERED is SUCCESSFUL (200); RETRYING is
     * TEMPORARY_FAILURE with the provider's code, though the outbox keeps trying; FAILED is PERMANENT_FAILURE; a
     * message no transport has answered yet (QUEUED, SENDING) is SUCCESSFUL with 202: it is stored and its delivery
     * continues, so a client that sent it again would send it twice.
     */
    static Result of(String messageId, Optional<MessageStatus> status) {
        Optional<String> id = Optional.of(messageId);
        if (status.isEmpty()) {
            return new Result("UNKNOWN_FAILURE", 500, "The message was not found in the outbox", id);
        }
        MessageStatus current = status.get();
        String provider = current.statusMessage() == null ? "" : current.statusMessage();
        return switch (current.state()) {
            case DELIVERED -> new Result("SUCCESSFUL", 200, provider.isEmpty() ? "Delivered" : provider, id);
            case RETRYING -> new Result("TEMPORARY_FAILURE", current.statusCode() > 0 ? current.statusCode() : 503,
                    (provider.isEmpty() ? "No answer from the provider" : provider)
                            + "; Waymark retries it for up to an hour", id);
            case FAILED -> new Result("PERMANENT_FAILURE", current.statusCode() > 0 ? current.statusCode() : 500,
                    provider.isEmpty() ? "The provider refused the message" : provider, id);
            case WITHDRAWN -> new Result("PERMANENT_FAILURE", 410, "The message was withdrawn before it was sent", id);
            case QUEUED, SENDING, HELD -> new Result("SUCCESSFUL", 202,
                    "Queued; delivery continues (no answer from the provider yet)", id);
        };
    }

    /** A MessageResult, or an EndpointMessageResult when {@code address} is given. */
    static ObjectNode encode(Result result, Optional<String> address) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        address.ifPresent(value -> node.put("Address", value));
        node.put("DeliveryStatus", result.deliveryStatus());
        result.messageId().ifPresent(value -> node.put("MessageId", value));
        node.put("StatusCode", result.statusCode());
        node.put("StatusMessage", result.statusMessage());
        return node;
    }

    /** The final result of each entry, by the entry's position, given the statuses the outbox answered. */
    static Result resultOf(DirectSend.Entry entry, Map<String, MessageStatus> statuses) {
        if (entry.settled().isPresent()) {
            return entry.settled().get();
        }
        String id = entry.queued().orElseThrow().id();
        return of(id, Optional.ofNullable(statuses.get(id)));
    }

    /** SendMessages' MessageResponse. */
    static ObjectNode messageResponse(String appId, String requestId, Iterable<DirectSend.Entry> entries,
                                      Map<String, MessageStatus> statuses) {
        ObjectNode response = Json.MAPPER.createObjectNode();
        response.put("ApplicationId", appId);
        ObjectNode endpointResult = Json.MAPPER.createObjectNode();
        ObjectNode result = Json.MAPPER.createObjectNode();
        for (DirectSend.Entry entry : entries) {
            Result outcome = resultOf(entry, statuses);
            if (entry.recipient().kind() == SendRequest.Kind.ADDRESS) {
                result.set(entry.recipient().key(), encode(outcome, Optional.empty()));
            } else {
                endpointResult.set(entry.recipient().key(), encode(outcome, entry.address()));
            }
        }
        if (!endpointResult.isEmpty()) {
            response.set("EndpointResult", endpointResult);
        }
        response.put("RequestId", requestId);
        if (!result.isEmpty()) {
            response.set("Result", result);
        }
        return response;
    }

    /** SendUsersMessages' SendUsersMessageResponse: every user named, with a result per endpoint it has. */
    static ObjectNode usersResponse(String appId, String requestId, SendRequest request,
                                    Iterable<DirectSend.Entry> entries, Map<String, MessageStatus> statuses) {
        ObjectNode response = Json.MAPPER.createObjectNode();
        response.put("ApplicationId", appId);
        response.put("RequestId", requestId);
        ObjectNode result = response.putObject("Result");
        request.recipients().forEach(user -> result.putObject(user.key()));
        for (DirectSend.Entry entry : entries) {
            ((ObjectNode) result.get(entry.recipient().key())).set(entry.endpointId().orElseThrow(),
                    encode(resultOf(entry, statuses), entry.address()));
        }
        return response;
    }
}
