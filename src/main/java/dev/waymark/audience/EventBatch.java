package dev.waymark.audience;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One BatchItem of a PutEvents request after the request-level checks: the endpoint as an EndpointBatchItem (the
 * PublicEndpoint with its {@code Id}), or the reason it was refused before reaching the endpoint rules; and its
 * events, each read by {@link EventRules} or refused with its reason.
 */
record EventBatch(String endpointId, ObjectNode endpoint, String endpointRefusal, List<Entry> events) {
    /** An event of the batch: {@code draft} when its members are valid, else {@code refusal}. */
    record Entry(String eventId, EventDraft draft, String refusal) {}
}
