package dev.waymark.e2e;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.pinpoint.PinpointClient;
import software.amazon.awssdk.services.pinpoint.model.JourneyRunsResponse;

/** Walks every page of a journey's runs through the SDK, following NextToken to the end. */
final class RunPages {
    private RunPages() {}

    /** Every page, in order; {@code pageSize} null sends none (the server's default). */
    static List<JourneyRunsResponse> walk(PinpointClient client, String appId, String journeyId, String pageSize) {
        List<JourneyRunsResponse> pages = new ArrayList<>();
        String token = null;
        do {
            String current = token;
            JourneyRunsResponse page = client.getJourneyRuns(r -> r.applicationId(appId).journeyId(journeyId)
                    .pageSize(pageSize).token(current)).journeyRunsResponse();
            pages.add(page);
            token = page.nextToken();
        } while (token != null);
        return pages;
    }
}
