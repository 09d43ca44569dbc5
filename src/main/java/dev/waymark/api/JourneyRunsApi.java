package dev.waymark.api;

import dev.waymark.domain.RunSummary;
import dev.waymark.http.ApiRequest;
import dev.waymark.http.ApiResponse;
import dev.waymark.store.Page;
import dev.waymark.store.PageCursor;
import dev.waymark.store.Store;
import dev.waymark.wire.JourneyRunsEncoder;
import java.util.Optional;

/** GetJourneyRuns: the runs of a journey, oldest first. */
public final class JourneyRunsApi {
    private static final String LISTING = "runs";

    private final Store store;
    private final Paging paging;
    private final RunPageCache settledPages;

    public JourneyRunsApi(Store store, Paging paging, RunPageCache settledPages) {
        this.store = store;
        this.paging = paging;
        this.settledPages = settledPages;
    }

    public ApiResponse list(ApiRequest request) {
        String appId = request.label("ApplicationId");
        String journeyId = request.label("JourneyId");
        // Checked on every request, cached page or not: the journey may have been deleted since.
        if (!store.journeys().exists(appId, journeyId)) {
            AppLookup.require(store.apps(), appId);
            throw JourneyLookup.notFound(appId, journeyId);
        }
        int pageSize = Paging.pageSize(request);
        Optional<PageCursor> after = paging.after(request, LISTING, journeyId);
        Optional<byte[]> settled = settledPages.get(journeyId, after, pageSize);
        if (settled.isPresent()) {
            return ApiResponse.okEncoded(settled.get());
        }
        Page<RunSummary> page = store.runs().list(journeyId, after, pageSize);
        byte[] encoded = JourneyRunsEncoder.encode(page.items(), paging.nextToken(page.next(), LISTING, journeyId));
        settledPages.offer(journeyId, after, pageSize, page, encoded);
        return ApiResponse.okEncoded(encoded);
    }
}
