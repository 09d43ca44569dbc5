package dev.waymark.store;

import java.util.List;
import java.util.Optional;

/**
 * One page of a listing, and where the next page starts when there is one; {@code following} is the first item of
 * that next page as the read saw it; {@code cursors}, when the store gives them, the place of each item in the
 * listing (so that a caller may end its page after any item).
 */
public record Page<T>(List<T> items, Optional<PageCursor> next, Optional<T> following, List<PageCursor> cursors) {
    public Page(List<T> items, Optional<PageCursor> next) {
        this(items, next, Optional.empty(), List.of());
    }

    public Page(List<T> items, Optional<PageCursor> next, Optional<T> following) {
        this(items, next, following, List.of());
    }

    /** Where a listing continues after the item at {@code index}. */
    public PageCursor cursorAfter(int index) {
        if (index == items.size() - 1 && next.isPresent()) {
            return next.get();
        }
        if (cursors.size() != items.size()) {
            throw new IllegalStateException("this page does not carry the place of each item");
        }
        return cursors.get(index);
    }
}
