package dev.waymark.journeys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.apps.AppLookup;
import dev.waymark.error.ApiException;
import dev.waymark.http.ApiRequest;
import dev.waymark.http.ApiResponse;
import dev.waymark.http.BudgetedPage;
import dev.waymark.http.Paging;
import dev.waymark.rules.RuleViolation;
import dev.waymark.segments.SegmentLookup;
import dev.waymark.store.Store;
import dev.waymark.wire.Ids;
import dev.waymark.wire.Json;
import dev.waymark.wire.PinpointShapes;
import dev.waymark.wire.ShapeReader;
import dev.waymark.wire.WireTime;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** CreateJourney, GetJourney, ListJourneys, UpdateJourney, UpdateJourneyState, DeleteJourney. */
public final class JourneysApi {
    /** How many times UpdateJourneyState reads the journey again after a change landed between its read and write. */
    private static final int STATE_ATTEMPTS = 3;

    private static final Logger LOG = LoggerFactory.getLogger(JourneysApi.class);
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
    private final SegmentLookup segments;

    public JourneysApi(Store store, JourneyRules rules, Paging paging, Clock clock, RunTrigger runs,
                       SegmentLookup segments) {
        this.store = store;
        this.segments = segments;
        this.rules = rules;
        this.paging = paging;
        this.clock = clock;
        this.runs = runs;
    }

    public ApiResponse create(ApiRequest request) {
        String appId = AppLookup.require(store.apps(), request.label("ApplicationId")).id();
        ObjectNode body = readWriteRequest(request);
        JourneyDefinition definition = JourneyDefinitionReader.read(body);
        rules.checkDefinition(definition);
        JourneyState state = JourneyStateMachine.stateOnCreate(definition.state().orElse(null));
        if (state == JourneyState.ACTIVE) {
            checkPublishable(appId, definition, body);
        }
        String stored = storedText(stored(body));
        Instant now = now();
        Journey journey = new Journey(appId, Ids.newId(), definition.name(), state, stored, now, now, 1);
        if (!store.journeys().insert(journey)) {
            // DeleteApp came first.
            throw AppLookup.notFound(appId);
        }
        runs.journeyChanged(journey.id());
        return ApiResponse.created(response(journey, Map.of()));
    }

    public ApiResponse get(ApiRequest request) {
        Journey journey = find(request);
        return ApiResponse.ok(response(journey, store.tags().get(journey.id())));
    }

    /** A page of journeys, read and written a few at a time and ended early past a byte budget. */
    public ApiResponse list(ApiRequest request) {
        String appId = AppLookup.require(store.apps(), request.label("ApplicationId")).id();
        int pageSize = Paging.pageSize(request);
        return ApiResponse.okEncoded(BudgetedPage.write(
                (after, limit) -> store.journeys().list(appId, after, limit),
                paging.after(request, LISTING, appId), pageSize,
                BudgetedPage.listing(journey -> listed(journey, store.tags().get(journey.id())),
                        next -> paging.nextToken(Optional.of(next), LISTING, appId))));
    }

    /**
     * A journey in a listing (or as cancelled or deleted); one whose stored definition cannot be read comes with what
     * the server owns, so that one bad item neither fails the whole listing nor keeps it from being cancelled.
     */
    private static ObjectNode listed(Journey journey, Map<String, String> tags) {
        try {
            return response(journey, tags);
        } catch (RuntimeException e) {
            LOG.warn("Journey {} is listed without its definition: {}", journey.id(), e.toString());
            ObjectNode response = Json.MAPPER.createObjectNode();
            response.put("Id", journey.id());
            response.put("ApplicationId", journey.appId());
            response.put("Name", journey.name());
            serverMembers(response, journey, tags);
            return response;
        }
    }

    public ApiResponse update(ApiRequest request) {
        Journey current = find(request);
        ObjectNode body = readWriteRequest(request);
        JourneyDefinition definition = JourneyDefinitionReader.read(body);
        JourneyState state = JourneyStateMachine.stateOnUpdate(current.state(), definition.state().orElse(null));
        rules.checkDefinition(definition);
        ObjectNode stored = stored(body);
        String storedText = storedText(stored);
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
            checkPublishable(current.appId(), definition, body);
        }
        Journey next = new Journey(current.appId(), current.id(), definition.name(), state, storedText,
                current.createdAt(), now(), current.version());
        Journey saved = store.journeys().replace(current, next).orElseThrow(() -> lostRace(current));
        runs.journeyChanged(saved.id());
        return ApiResponse.ok(response(saved, store.tags().get(saved.id())));
    }

    public ApiResponse updateState(ApiRequest request) {
        ObjectNode body = ShapeReader.read(Json.parseBody(request.body()), PinpointShapes.JOURNEY_STATE_REQUEST);
        if (!body.has("State")) {
            throw ApiException.badRequest("State is required: ACTIVE, PAUSED or CANCELLED");
        }
        JourneyState requested = JourneyState.valueOf(body.get("State").textValue());
        // The request names no version: a change that lands meanwhile (most often Waymark's own, a run completing
        // and the journey closing) is read again and the transition checked against it, a few times at most.
        for (int attempt = 1; ; attempt++) {
            Journey current = find(request);
            // Read as stored, not held to today's request rules: a journey stored under older rules can still be
            // paused or cancelled. Publishing a draft checks it as a request would be.
            Optional<JourneyDefinition> definition = storedDefinition(current, requested);
            Transition transition = JourneyStateMachine.changeState(current.state(), requested,
                    definition.flatMap(JourneyDefinition::refreshFrequency).isPresent());
            if (transition == Transition.PUBLISH) {
                ObjectNode draft = (ObjectNode) Json.parseStored(current.definition());
                checkPublishable(current.appId(), JourneyDefinitionReader.read(draft), draft);
            }
            Optional<Journey> saved = store.journeys().replace(current, current.withState(requested, now()));
            if (saved.isPresent()) {
                runs.journeyChanged(saved.get().id());
                return ApiResponse.ok(listed(saved.get(), store.tags().get(saved.get().id())));
            }
            if (attempt == STATE_ATTEMPTS) {
                throw lostRace(current);
            }
        }
    }

    public ApiResponse delete(ApiRequest request) {
        Journey journey = find(request);
        Map<String, String> tags = store.tags().get(journey.id());
        if (!store.journeys().delete(journey.appId(), journey.id())) {
            throw JourneyLookup.notFound(journey.appId(), journey.id());
        }
        runs.journeyDeleted(journey.id());
        return ApiResponse.ok(listed(journey, tags));
    }

    /** The stored definition; empty when it cannot be read and only a cancel is asked for, which needs none. */
    private static Optional<JourneyDefinition> storedDefinition(Journey journey, JourneyState requested) {
        try {
            return Optional.of(StoredJourneyReader.read(journey));
        } catch (StoredJourneyReader.UnreadableDefinitionException e) {
            if (requested == JourneyState.CANCELLED) {
                return Optional.empty();
            }
            throw ApiException.conflict("The stored definition of this journey cannot be read; it can only be "
                    + "cancelled or deleted");
        }
    }

    /** A journey is published only when it is complete and every segment it names exists. */
    private void checkPublishable(String appId, JourneyDefinition definition, ObjectNode body) {
        rules.checkPublishable(definition);
        JourneyDefinitionReader.checkPublishable(body);
        for (JourneySegments.Named named : JourneySegments.of(body)) {
            if (!segments.exists(appId, named.segmentId())) {
                throw new RuleViolation(named.path() + ": segment '" + named.segmentId()
                        + "' does not exist in application '" + appId + "'; a journey is published only with "
                        + "segments that exist");
            }
        }
    }

    /** The definition as stored, held to the size a journey may take (drafts too). */
    private String storedText(ObjectNode stored) {
        String text = stored.toString();
        // Bytes bound the UTF-8 length from above and below by a factor of 3: count exactly only when it matters.
        if (text.length() * 3L > JourneyRules.MAX_DEFINITION_BYTES) {
            rules.checkStoredSize(text.getBytes(StandardCharsets.UTF_8).length);
        }
        return text;
    }

    /** The journey named by the request's path, or NotFoundException for its app or for it. */
    Journey find(ApiRequest request) {
        String appId = AppLookup.require(store.apps(), request.label("ApplicationId")).id();
        String journeyId = request.label("JourneyId");
        return store.journeys().find(appId, journeyId).orElseThrow(() -> JourneyLookup.notFound(appId, journeyId));
    }

    /** Why {@code current} could not be replaced: deleted meanwhile (a row never comes back), or changed. */
    private ApiException lostRace(Journey current) {
        if (!store.journeys().exists(current.appId(), current.id())) {
            return JourneyLookup.notFound(current.appId(), current.id());
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
        serverMembers(response, journey, tags);
        return response;
    }

    private static void serverMembers(ObjectNode response, Journey journey, Map<String, String> tags) {
        response.put("State", journey.state().name());
        response.put("CreationDate", WireTime.format(journey.createdAt()));
        response.put("LastModifiedDate", WireTime.format(journey.modifiedAt()));
        if (!tags.isEmpty()) {
            response.set("tags", Json.MAPPER.valueToTree(tags));
        }
    }
}
