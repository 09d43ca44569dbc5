package dev.waymark.store;

import java.util.Optional;

/**
 * What one read of a page of a journey's runs found: whether the app and the journey exist, and where the next
 * page starts (empty on the last page).
 */
public record RunPageRead(Found found, Optional<PageCursor> next) {
    /** Which of the app and the journey exist; the runs are handed over only when both do. */
    public enum Found { JOURNEY, APP_ONLY, NOTHING }
}
