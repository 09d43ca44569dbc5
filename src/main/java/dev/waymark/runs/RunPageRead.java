package dev.waymark.runs;

import dev.waymark.store.PageCursor;
import java.util.Optional;

/**
 * What one read of a page of a journey's runs found: whether the app and the journey exist, where the next page
 * starts (empty on the last page), and the status of the first run of that next page.
 */
public record RunPageRead(Found found, Optional<PageCursor> next, Optional<RunStatus> following) {
    /** Which of the app and the journey exist; the runs are handed over only when both do. */
    public enum Found { JOURNEY, APP_ONLY, NOTHING }
}
