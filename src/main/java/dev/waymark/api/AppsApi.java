package dev.waymark.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.domain.App;
import dev.waymark.domain.Ids;
import dev.waymark.domain.RunTrigger;
import dev.waymark.domain.TagRules;
import dev.waymark.error.ApiException;
import dev.waymark.http.ApiRequest;
import dev.waymark.http.ApiResponse;
import dev.waymark.store.Page;
import dev.waymark.store.Store;
import dev.waymark.store.TaggedApp;
import dev.waymark.wire.Json;
import dev.waymark.wire.PinpointShapes;
import dev.waymark.wire.Responses;
import dev.waymark.wire.ShapeReader;
import dev.waymark.wire.WireTime;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** CreateApp, GetApp, GetApps, DeleteApp. */
public final class AppsApi {
    private static final String LISTING = "apps";

    private final Store store;
    private final Arns arns;
    private final Paging paging;
    private final Clock clock;
    private final RunTrigger runs;

    public AppsApi(Store store, Arns arns, Paging paging, Clock clock, RunTrigger runs) {
        this.store = store;
        this.arns = arns;
        this.paging = paging;
        this.clock = clock;
        this.runs = runs;
    }

    public ApiResponse create(ApiRequest request) {
        ObjectNode body = ShapeReader.read(Json.parseBody(request.body()), PinpointShapes.CREATE_APPLICATION_REQUEST);
        String name = body.get("Name").textValue();
        if (name.isBlank()) {
            throw ApiException.badRequest("Name must not be empty");
        }
        Map<String, String> tags = TagRules.check(Json.stringMap(body.path("tags")));
        App app = new App(Ids.newId(), name, Instant.ofEpochMilli(clock.millis()));
        store.apps().insert(app, tags);
        return ApiResponse.created(response(app, tags));
    }

    public ApiResponse get(ApiRequest request) {
        String appId = request.label("ApplicationId");
        TaggedApp found = store.apps().findWithTags(appId).orElseThrow(() -> notFound(appId));
        return ApiResponse.ok(response(found.app(), found.tags()));
    }

    public ApiResponse list(ApiRequest request) {
        int pageSize = Paging.pageSize(request);
        // A scoped key sees only its own apps; its tokens are its own listing.
        Optional<Set<String>> only = request.caller().admin() ? Optional.empty() : Optional.of(request.caller().apps());
        String scope = request.caller().admin() ? "" : request.caller().accessKeyId().orElse("");
        Page<App> page = store.apps().list(paging.after(request, LISTING, scope), pageSize, only);
        List<Responses.Application> items = page.items().stream()
                .map(app -> response(app, store.tags().get(app.id())))
                .toList();
        return ApiResponse.ok(new Responses.Applications(items, paging.nextToken(page.next(), LISTING, scope)));
    }

    public ApiResponse delete(ApiRequest request) {
        App app = find(store, request.label("ApplicationId"));
        Map<String, String> tags = store.tags().get(app.id());
        List<String> journeyIds = store.journeys().ids(app.id());
        if (!store.apps().delete(app.id())) {
            throw notFound(app.id());
        }
        journeyIds.forEach(runs::journeyDeleted);
        return ApiResponse.ok(response(app, tags));
    }

    /** The app with this id, or NotFoundException. */
    static App find(Store store, String appId) {
        return store.apps().find(appId).orElseThrow(() -> notFound(appId));
    }

    static ApiException notFound(String appId) {
        return ApiException.notFound("Application '" + appId + "' not found");
    }

    private Responses.Application response(App app, Map<String, String> tags) {
        return new Responses.Application(arns.app(app.id()), app.id(), app.name(), tags,
                WireTime.format(app.createdAt()));
    }
}
