package dev.waymark.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.domain.Ids;
import dev.waymark.domain.Journey;
import dev.waymark.domain.JourneyDefinition;
import dev.waymark.domain.JourneyRules;
import dev.waymark.domain.JourneyState;
import dev.waymark.domain.JourneyStateMachine;
import dev.waymark.domain.RunTrigger;
import dev.waymark.domain.Transition;
import dev.waymark.error.ApiException;
import dev.waymark.http.ApiRequest;
import dev.waymark.http.ApiResponse;
import dev.waymark.store.Page;
import dev.waymark.store.Store;
import dev.waymark.wire.Json;
import dev.waymark.wire.JourneyDefinitionReader;
import dev.waymark.wire.PinpointShapes;
import dev.waymark.wire.Responses;
import dev.waymark.wire.ShapeReader;
import dev.waymark.wire.WireTime;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** CreateJourney, GetJourney, ListJourneys, UpdateJourney, UpdateJourneyState, DeleteJourney. */
public final class JourneysApi {
    /** Tokens name the order they walk: a token from before journeys were listed by position is refused. */
    private static final String LISTING = "journeys-by-position";
    /** Members the server owns: never stored from a request, always written by Waymark. */
    private static final List<String> SERVER_MEMBERS = List.of("CreationDate", "LastModifiedDate", "State");
    /** Members that cannot change once a journey is published. */
    private static final List<String> FROZEN_MEMBERS = List.of("Activities", "StartActivity", "StartCondition");

    private final Store store;
    private final JourneyRules rules;
    private final Paging paging;
    private final Clock clock;
    private final RunTrigger runs;

    public JourneysApi(Store store, JourneyRules rules, Paging paging, Clock clock, RunTrigger runs) {
        this.store = store;
        this.rules = rules;
        this.paging = paging;
        this.clock = clock;
        this.runs = runs;
    }

    public ApiResponse create(ApiRequest request) {
        String appId = AppsApi.find(store, request.label("ApplicationId")).id();
        ObjectNode body = readWriteRequest(request);
        JourneyDefinition definition = JourneyDefinitionReader.read(body);
        rules.checkDefinition(definition);
        JourneyState state = JourneyStateMachine.stateOnCreate(definition.state().orElse(null));
        if (state == JourneyState.ACTIVE) {
            rules.checkPublishable(definition);
        }
        Instant now = now();
        Journey journey = new Journey(appId, Ids.newId(), definition.name(), state, stored(body).toString(), now, now, 1);
        if (!store.journeys().insert(journey)) {
            // DeleteApp came first.
            throw AppsApi.notFound(appId);
        }
        runs.journeyChanged(journey.id());
        return ApiResponse.created(response(journey, Map.of()));
    }

    public ApiResponse get(ApiRequest request) {
        Journey journey = find(request);
        return ApiResponse.ok(response(journey, store.tags().get(journey.id())));
    }

    public ApiResponse list(ApiRequest request) {
        String appId = AppsApi.find(store, request.label("ApplicationId")).id();
        int pageSize = Paging.pageSize(request);
        Page<Journey> page = store.journeys().list(appId, paging.after(request, LISTING, appId), pageSize);
        List<JsonNode> items = page.items().stream()
                .map(journey -> (JsonNode) response(journey, store.tags().get(journey.id())))
                .toList();
        return ApiResponse.ok(new Responses.Journeys(items, paging.nextToken(page.next(), LISTING, appId)));
    }

    public ApiResponse update(ApiRequest request) {
        Journey current = find(request);
        ObjectNode body = readWriteRequest(request);
        JourneyDefinition definition = JourneyDefinitionReader.read(body);
        JourneyState state = JourneyStateMachine.stateOnUpdate(current.state(), definition.state().orElse(null));
        rules.checkDefinition(definition);
        ObjectNode stored = stored(body);
        if (current.state().isPublished()) {
            JsonNode before = Json.parseStored(current.definition());
            for (String member : FROZEN_MEMBERS) {
                if (!before.path(member).equals(stored.path(member))) {
                    throw ApiException.conflict(member + " cannot change once a journey is " + current.state()
                            + "; create a new journey instead");
                }
            }
        }
        if (state == JourneyState.ACTIVE) {
            rules.checkPublishable(definition);
        }
        Journey next = new Journey(current.appId(), current.id(), definition.name(), state, stored.toString(),
                current.createdAt(), now(), current.version());
        Journey saved = store.journeys().replace(current, next).orElseThrow(() -> lostRace(current));
        runs.journeyChanged(saved.id());
        return ApiResponse.ok(response(saved, store.tags().get(saved.id())));
    }

    public ApiResponse updateState(ApiRequest request) {
        Journey current = find(request);
        ObjectNode body = ShapeReader.read(Json.parseBody(request.body()), PinpointShapes.JOURNEY_STATE_REQUEST);
        if (!body.has("State")) {
            throw ApiException.badRequest("State is required: ACTIVE, PAUSED or CANCELLED");
        }
        JourneyState requested = JourneyState.valueOf(body.get("State").textValue());
        JourneyDefinition definition = JourneyDefinitionReader.read((ObjectNode) Json.parseStored(current.definition()));
        Transition transition = JourneyStateMachine.changeState(current.state(), requested,
                definition.refreshFrequency().isPresent());
        if (transition == Transition.PUBLISH) {
            rules.checkPublishable(definition);
        }
        Journey saved = store.journeys().replace(current, current.withState(requested, now()))
                .orElseThrow(() -> lostRace(current));
        runs.journeyChanged(saved.id());
        return ApiResponse.ok(response(saved, store.tags().get(saved.id())));
    }

    public ApiResponse delete(ApiRequest request) {
        Journey journey = find(request);
        Map<String, String> tags = store.tags().get(journey.id());
        if (!store.journeys().delete(journey.appId(), journey.id())) {
            throw notFound(journey.appId(), journey.id());
        }
        runs.journeyDeleted(journey.id());
        return ApiResponse.ok(response(journey, tags));
    }

    /** The journey named by the request's path, or NotFoundException for its app or for it. */
    Journey find(ApiRequest request) {
        String appId = AppsApi.find(store, request.label("ApplicationId")).id();
        String journeyId = request.label("JourneyId");
        return store.journeys().find(appId, journeyId).orElseThrow(() -> notFound(appId, journeyId));
    }

    static ApiException notFound(String appId, String journeyId) {
        return ApiException.notFound("Journey '" + journeyId + "' not found in application '" + appId + "'");
    }

    /** Why {@code current} could not be replaced: deleted meanwhile (a row never comes back), or changed. */
    private ApiException lostRace(Journey current) {
        if (!store.journeys().exists(current.appId(), current.id())) {
            return notFound(current.appId(), current.id());
        }
        return ApiException.conflict("The journey was changed by another request at the same time; read it and retry");
    }

    private static ObjectNode readWriteRequest(ApiRequest request) {
        return ShapeReader.read(Json.parseBody(request.body()), PinpointShapes.WRITE_JOURNEY_REQUEST);
    }

    /** The request as stored: every member the client sent, less those the server owns. */
    private static ObjectNode stored(ObjectNode body) {
        ObjectNode stored = body.deepCopy();
        stored.remove(SERVER_MEMBERS);
        return stored;
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }

    /** A JourneyResponse: the stored definition plus the members the server owns. */
    static ObjectNode response(Journey journey, Map<String, String> tags) {
        ObjectNode response = Json.MAPPER.createObjectNode();
        response.put("Id", journey.id());
        response.put("ApplicationId", journey.appId());
        response.setAll((ObjectNode) Json.parseStored(journey.definition()));
        response.put("State", journey.state().name());
        response.put("CreationDate", WireTime.format(journey.createdAt()));
        response.put("LastModifiedDate", WireTime.format(journey.modifiedAt()));
        if (!tags.isEmpty()) {
            response.set("tags", Json.MAPPER.valueToTree(tags));
        }
        return response;
    }
}
