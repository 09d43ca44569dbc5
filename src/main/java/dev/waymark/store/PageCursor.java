package dev.waymark.store;

import java.time.Instant;

/**
 * A keyset position in a listing: the last item a page returned, as its place in the listing's order (creation
 * time for runs, the insertion position for apps and journeys) and its id.
 */
public record PageCursor(long position, String id) {
    public static PageCursor of(Instant createdAt, String id) {
        return new PageCursor(createdAt.toEpochMilli(), id);
    }
}
