package dev.waymark.api;

import dev.waymark.domain.Journey;
import dev.waymark.domain.JourneyRun;
import dev.waymark.http.ApiRequest;
import dev.waymark.http.ApiResponse;
import dev.waymark.store.Page;
import dev.waymark.store.Store;
import dev.waymark.wire.Responses;
import dev.waymark.wire.ShapeReader;
import dev.waymark.wire.WireTime;
import java.util.List;

/** GetJourneyRuns: the runs of a journey, oldest first. */
public final class JourneyRunsApi {
    private static final String LISTING = "runs";

    private final Store store;
    private final JourneysApi journeys;
    private final Paging paging;

    public JourneyRunsApi(Store store, JourneysApi journeys, Paging paging) {
        this.store = store;
        this.journeys = journeys;
        this.paging = paging;
    }

    public ApiResponse list(ApiRequest request) {
        Journey journey = journeys.find(request);
        int pageSize = Paging.pageSize(request);
        Page<JourneyRun> page = store.runs().list(journey.id(), paging.after(request, LISTING, journey.id()),
                pageSize);
        List<Responses.JourneyRun> items = page.items().stream()
                .map(run -> new Responses.JourneyRun(WireTime.format(run.createdAt()),
                        WireTime.format(run.updatedAt()), run.runId(), run.status().name()))
                .toList();
        return ApiResponse.ok(new Responses.JourneyRuns(items, paging.nextToken(page.next(), LISTING, journey.id())));
    }
}
