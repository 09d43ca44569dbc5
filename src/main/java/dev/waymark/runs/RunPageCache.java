package dev.waymark.runs;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.waymark.store.PageCursor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Encoded GetJourneyRuns pages that can never change again, kept so that reading the history of a journey costs a
 * look-up instead of a page read and its encoding.
 *
 * <p>A page is settled when every run on it is in a final status and the run that follows it is not SCHEDULED.
 * The run planner creates a journey's runs with strictly increasing creation times, always after its latest run, so
 * no run can join a page that has a successor; a final run never changes; a RUNNING or final run is only removed
 * with its journey, which the caller checks on every request before it asks here. A SCHEDULED run can be withdrawn
 * by a schedule change, and with it the page's NextToken when it was the only run after the page, so a page
 * followed by one is not kept. A settled page is thus the same on every node for as long as its journey exists,
 * and needs no invalidation, in one process or many.
 */
public final class RunPageCache {
    /** A page: its journey, where it starts (null for the first page) and its size. */
    private record Key(String journeyId, PageCursor after, int pageSize) {
        Key(String journeyId, Optional<PageCursor> after, int pageSize) {
            this(journeyId, after.orElse(null), pageSize);
        }
    }

    /** What a cached entry costs besides its bytes: the key, its strings and the cache's own node. */
    private static final int ENTRY_OVERHEAD_BYTES = 200;

    private final Cache<Key, byte[]> pages;

    /** A cache of at most {@code maxBytes} of encoded pages; 0 keeps nothing. */
    public RunPageCache(long maxBytes) {
        this.pages = maxBytes <= 0 ? null : Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((Key key, byte[] page) -> page.length + ENTRY_OVERHEAD_BYTES)
                .recordStats()
                .build();
    }

    /** Reports hits, misses, evictions and size to {@code registry} as the cache {@code run_pages}. */
    public RunPageCache monitoredBy(MeterRegistry registry) {
        if (pages != null) {
            CaffeineCacheMetrics.monitor(registry, pages, "run_pages");
        }
        return this;
    }

    public Optional<byte[]> get(String journeyId, Optional<PageCursor> after, int pageSize) {
        return pages == null ? Optional.empty()
                : Optional.ofNullable(pages.getIfPresent(new Key(journeyId, after, pageSize)));
    }

    /**
     * Keeps the encoded page when it is settled; a page that may still change is never kept. {@code allFinal}: every
     * run on the page has ended. {@code encoded} gives the page as an array of its own, asked for only to keep it.
     */
    public void offer(String journeyId, Optional<PageCursor> after, int pageSize, RunPageRead read, boolean allFinal,
                      Supplier<byte[]> encoded) {
        if (pages != null && isSettled(read, allFinal)) {
            pages.put(new Key(journeyId, after, pageSize), encoded.get());
        }
    }

    /**
     * A page can never change again when a page follows it, every run on it has ended, and the first run of the next
     * page is not SCHEDULED: a SCHEDULED run can still be withdrawn (a schedule change), and with it this page's
     * NextToken.
     */
    static boolean isSettled(RunPageRead read, boolean allFinal) {
        return read.next().isPresent() && allFinal
                && read.following().filter(status -> status != RunStatus.SCHEDULED).isPresent();
    }
}
