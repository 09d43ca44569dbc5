package dev.waymark.apps;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waymark.error.ApiException;
import dev.waymark.http.ApiRequest;
import dev.waymark.http.ApiResponse;
import dev.waymark.http.BudgetedPage;
import dev.waymark.http.Paging;
import dev.waymark.store.Store;
import dev.waymark.tags.TagRules;
import dev.waymark.wire.Arns;
import dev.waymark.wire.Ids;
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
import java.util.function.Consumer;

/** CreateApp, GetApp, GetApps, DeleteApp. */
public final class AppsApi {
    /** Tokens name the order they walk: a token from before apps were listed by position is refused. */
    private static final String LISTING = "apps-by-position";

    private final Store store;
    private final Arns arns;
    private final Paging paging;
    private final Clock clock;
    private final Consumer<String> journeyDeleted;

    public AppsApi(Store store, Arns arns, Paging paging, Clock clock, Consumer<String> journeyDeleted) {
        this.store = store;
        this.arns = arns;
        this.paging = paging;
        this.clock = clock;
        this.journeyDeleted = journeyDeleted;
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
        TaggedApp found = store.apps().findWithTags(appId).orElseThrow(() -> AppLookup.notFound(appId));
        return ApiResponse.ok(response(found.app(), found.tags()));
    }

    public ApiResponse list(ApiRequest request) {
        int pageSize = Paging.pageSize(request);
        // A scoped key sees only its own apps; its tokens are its own listing.
        Optional<Set<String>> only = request.caller().admin() ? Optional.empty() : Optional.of(request.caller().apps());
        String scope = request.caller().admin() ? "" : request.caller().accessKeyId().orElse("");
        // Read and written a few at a time, the page ending early past a byte budget (names and tags add up).
        return ApiResponse.okEncoded(BudgetedPage.write((after, limit) -> store.apps().list(after, limit, only),
                paging.after(request, LISTING, scope), pageSize,
                BudgetedPage.listing(app -> response(app, store.tags().get(app.id())),
                        next -> paging.nextToken(Optional.of(next), LISTING, scope))));
    }

    public ApiResponse delete(ApiRequest request) {
        App app = AppLookup.require(store.apps(), request.label("ApplicationId"));
        Map<String, String> tags = store.tags().get(app.id());
        List<String> journeyIds = store.apps().delete(app.id()).orElseThrow(() -> AppLookup.notFound(app.id()));
        journeyIds.forEach(journeyDeleted);
        return ApiResponse.ok(response(app, tags));
    }

    private Responses.Application response(App app, Map<String, String> tags) {
        return new Responses.Application(arns.app(app.id()), app.id(), app.name(), tags,
                WireTime.format(app.createdAt()));
    }
}
