package dev.waymark.audience;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.apps.AppLookup;
import dev.waymark.apps.AppStore;
import dev.waymark.http.ApiRequest;
import dev.waymark.http.ApiResponse;
import dev.waymark.wire.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PutEvents: records the events of a request and creates or updates the endpoints they come with, in one
 * transaction, answering 202 with a status per endpoint and per event (202 accepted, 400 with the reason).
 */
public final class EventsApi {
    private static final Logger LOG = LoggerFactory.getLogger(EventsApi.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Pinpoint's largest PutEvents request. */
    public static final long MAX_BODY_BYTES = 4L * 1024 * 1024;

    private final AppStore apps;
    private final SqlEventStore events;
    private final Clock clock;
    private final AcceptedEvents accepted;

    public EventsApi(AppStore apps, SqlEventStore events, Clock clock, AcceptedEvents accepted) {
        this.apps = apps;
        this.events = events;
        this.clock = clock;
        this.accepted = accepted;
    }

    public ApiResponse put(ApiRequest request) {
        String appId = AppLookup.require(apps, request.label("ApplicationId")).id();
        List<EventBatch> batches = EventsRequestReader.read(Json.parseBody(request.body()));
        Instant received = Instant.ofEpochMilli(clock.millis());
        SqlEventStore.Outcome outcome = events.record(appId, batches, received)
                .orElseThrow(() -> AppLookup.notFound(appId));
        if (!outcome.recorded().isEmpty()) {
            try {
                accepted.accepted(appId, outcome.recorded());
            } catch (RuntimeException e) {
                // The events are committed and the client is answered as such; a listener's failure is its own.
                LOG.warn("a listener of accepted events failed for app {}", appId, e);
            }
        }
        return new ApiResponse(202, response(batches, outcome));
    }

    private static ObjectNode response(List<EventBatch> batches, SqlEventStore.Outcome outcome) {
        ObjectNode results = NODES.objectNode();
        for (int i = 0; i < batches.size(); i++) {
            EventBatch batch = batches.get(i);
            ObjectNode item = results.putObject(batch.endpointId());
            item.set("EndpointItemResponse", status(outcome.endpointRefusals().get(i)));
            ObjectNode eventItems = item.putObject("EventsItemResponse");
            List<String> refusals = outcome.eventRefusals().get(i);
            for (int e = 0; e < batch.events().size(); e++) {
                eventItems.set(batch.events().get(e).eventId(), status(refusals.get(e)));
            }
        }
        ObjectNode body = NODES.objectNode();
        body.set("Results", results);
        return body;
    }

    private static ObjectNode status(String refusal) {
        ObjectNode status = NODES.objectNode();
        status.put("Message", refusal == null ? "Accepted" : refusal);
        status.put("StatusCode", refusal == null ? 202 : 400);
        return status;
    }
}
