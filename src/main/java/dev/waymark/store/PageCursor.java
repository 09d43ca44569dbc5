package dev.waymark.store;

/**
 * A keyset position in a listing: the last item a page returned, as its place in the listing's order (creation
 * time for runs, the insertion position for apps and journeys) and its id.
 */
public record PageCursor(long position, String id) {}
