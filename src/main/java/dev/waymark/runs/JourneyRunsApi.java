package dev.waymark.runs;

import dev.waymark.apps.AppLookup;
import dev.waymark.error.ApiException;
import dev.waymark.http.ApiRequest;
import dev.waymark.http.ApiResponse;
import dev.waymark.http.Paging;
import dev.waymark.journeys.JourneyLookup;
import dev.waymark.store.PageCursor;
import dev.waymark.store.Store;
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
        int pageSize = Paging.pageSize(request);
        Optional<PageCursor> after = paging.after(request, LISTING, journeyId);
        Optional<byte[]> settled = settledPages.get(journeyId, after, pageSize);
        if (settled.isPresent()) {
            // Checked even for a kept page: the journey may have been deleted since.
            if (!store.journeys().exists(appId, journeyId)) {
                throw notFound(store.apps().find(appId).isPresent(), appId, journeyId);
            }
            return ApiResponse.okEncoded(settled.get());
        }
        JourneyRunsEncoder encoder = new JourneyRunsEncoder(pageSize);
        RunPageRead read = store.runs().readPage(appId, journeyId, after, pageSize, encoder);
        if (read.found() != RunPageRead.Found.JOURNEY) {
            throw notFound(read.found() == RunPageRead.Found.APP_ONLY, appId, journeyId);
        }
        encoder.finish(paging.nextToken(read.next(), LISTING, journeyId));
        settledPages.offer(journeyId, after, pageSize, read, encoder.allFinal(), encoder::copy);
        return ApiResponse.okEncoded(encoder.buffer(), encoder.length());
    }

    /** NotFoundException for the journey when its app exists, for the app when it does not. */
    private static ApiException notFound(boolean appExists, String appId, String journeyId) {
        return appExists ? JourneyLookup.notFound(appId, journeyId) : AppLookup.notFound(appId);
    }
}
