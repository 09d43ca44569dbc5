package dev.waymark.audience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.rules.RuleViolation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads an EventsRequest: what refuses the whole request (no BatchItem, more than 100 events or endpoints) is a
 * RuleViolation; what is wrong with one endpoint or one event is kept as that item's own refusal, so that its
 * neighbours are still recorded.
 */
final class EventsRequestReader {
    private EventsRequestReader() {}

    static List<EventBatch> read(JsonNode body) {
        if (!body.isObject()) {
            throw new RuleViolation("The request body must be a JSON object (EventsRequest)");
        }
        JsonNode batchItem = body.get("BatchItem");
        if (batchItem == null || batchItem.isNull()) {
            throw new RuleViolation("BatchItem is required");
        }
        if (!batchItem.isObject()) {
            throw new RuleViolation("BatchItem must be a map of endpoint ids to EventsBatch objects");
        }
        if (batchItem.size() > EventRules.MAX_ENDPOINTS_PER_REQUEST) {
            throw new RuleViolation("BatchItem has " + batchItem.size() + " endpoints; a request may have at most "
                    + EventRules.MAX_ENDPOINTS_PER_REQUEST);
        }
        int eventCount = 0;
        for (JsonNode batch : batchItem) {
            JsonNode events = batch.get("Events");
            eventCount += events != null && events.isObject() ? events.size() : 0;
        }
        if (eventCount > EventRules.MAX_EVENTS_PER_REQUEST) {
            throw new RuleViolation("The request has " + eventCount + " events; a request may have at most "
                    + EventRules.MAX_EVENTS_PER_REQUEST);
        }
        List<EventBatch> batches = new ArrayList<>();
        for (Map.Entry<String, JsonNode> item : batchItem.properties()) {
            batches.add(batch(item.getKey(), item.getValue()));
        }
        return batches;
    }

    private static EventBatch batch(String endpointId, JsonNode batch) {
        String path = "BatchItem." + endpointId;
        if (!batch.isObject()) {
            return refused(endpointId, path + " must be an EventsBatch object");
        }
        JsonNode events = batch.get("Events");
        if (events == null || events.isNull()) {
            return refused(endpointId, path + ".Events is required");
        }
        if (!events.isObject()) {
            return refused(endpointId, path + ".Events must be a map of event ids to Event objects");
        }
        List<EventBatch.Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> event : events.properties()) {
            try {
                entries.add(new EventBatch.Entry(event.getKey(), EventRules.read(event.getKey(), event.getValue()),
                        null));
            } catch (RuleViolation e) {
                entries.add(new EventBatch.Entry(event.getKey(), null, e.getMessage()));
            }
        }
        JsonNode endpoint = batch.get("Endpoint");
        if (endpoint == null || endpoint.isNull()) {
            return new EventBatch(endpointId, null, path + ".Endpoint is required", entries);
        }
        if (!endpoint.isObject()) {
            return new EventBatch(endpointId, null, path + ".Endpoint must be a PublicEndpoint object", entries);
        }
        // The endpoint rules read an EndpointBatchItem: the PublicEndpoint with the BatchItem key as its Id.
        ObjectNode item = ((ObjectNode) endpoint).deepCopy();
        item.put("Id", endpointId);
        return new EventBatch(endpointId, item, null, entries);
    }

    private static EventBatch refused(String endpointId, String reason) {
        return new EventBatch(endpointId, null, reason, List.of());
    }
}
