package dev.waymark.store.sql;

import dev.waymark.store.PageCursor;

/** A listed item with its position in the listing, which the domain record does not carry. */
public record Positioned<T>(T item, long position, String id) {
    public PageCursor cursor() {
        return new PageCursor(position, id);
    }
}
