package dev.waymark.journeys;

import dev.waymark.segments.SegmentUsers;
import dev.waymark.store.Page;
import dev.waymark.store.PageCursor;
import dev.waymark.wire.Json;
import java.util.Optional;

/** Which published journey of an app uses a segment, asked before the segment is deleted. */
public final class SegmentReferences implements SegmentUsers {
    /** Journeys read at a time: each holds its definition, up to 512 KiB, so a page is at most ~5 MiB. */
    private static final int PAGE = 10;

    private final JourneyStore journeys;

    public SegmentReferences(JourneyStore journeys) {
        this.journeys = journeys;
    }

    @Override
    public Optional<String> publishedJourneyUsing(String appId, String segmentId) {
        Optional<PageCursor> after = Optional.empty();
        // An app's journeys are finite and each page moves on; the listing ends when no next page is given.
        do {
            Page<Journey> page = journeys.list(appId, after, PAGE);
            for (Journey journey : page.items()) {
                if (uses(journey, segmentId)) {
                    return Optional.of(journey.id());
                }
            }
            after = page.next();
        } while (after.isPresent());
        return Optional.empty();
    }

    private static boolean uses(Journey journey, String segmentId) {
        if (!journey.state().isPublished()) {
            return false;
        }
        // A stored definition that cannot be read names nothing we can see; it cannot run either.
        try {
            return JourneySegments.of(Json.parseStored(journey.definition())).stream()
                    .anyMatch(named -> named.segmentId().equals(segmentId));
        } catch (RuntimeException e) {
            return false;
        }
    }
}
