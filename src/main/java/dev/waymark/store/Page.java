package dev.waymark.store;

import java.util.List;
import java.util.Optional;

/** One page of a listing, and where the next page starts when there is one. */
public record Page<T>(List<T> items, Optional<PageCursor> next) {}
