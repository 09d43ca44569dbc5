package dev.waymark.store;

import java.time.Instant;

/** A keyset position in a listing ordered by creation time, then id: the last item a page returned. */
public record PageCursor(long createdMillis, String id) {
    public static PageCursor of(Instant createdAt, String id) {
        return new PageCursor(createdAt.toEpochMilli(), id);
    }
}
