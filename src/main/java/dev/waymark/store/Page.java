package dev.waymark.store;

import java.util.List;
import java.util.Optional;

/**
 * One page of a listing, and where the next page starts when there is one; {@code following} is the first item of
 * that next page as the read saw it.
 */
public record Page<T>(List<T> items, Optional<PageCursor> next, Optional<T> following) {
    public Page(List<T> items, Optional<PageCursor> next) {
        this(items, next, Optional.empty());
    }
}
