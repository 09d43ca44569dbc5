package dev.waymark.store;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

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

    /**
     * The page of a read that asked for {@code limit + 1} rows: the extra row, when there is one, is the first of the
     * next page ({@code following}) and says that there is a next page, which starts after the last item.
     */
    public static <T> Page<T> of(List<T> rows, int limit, Function<T, PageCursor> cursorOf) {
        if (rows.size() <= limit) {
            return new Page<>(rows, Optional.empty(), Optional.empty(), rows.stream().map(cursorOf).toList());
        }
        List<T> items = List.copyOf(rows.subList(0, limit));
        return new Page<>(items, Optional.of(cursorOf.apply(items.get(limit - 1))), Optional.of(rows.get(limit)),
                items.stream().map(cursorOf).toList());
    }

    /** This page with each item (and the following one) turned into another, in the same places. */
    public <U> Page<U> map(Function<T, U> into) {
        return new Page<>(items.stream().map(into).toList(), next, following.map(into), cursors);
    }
}
