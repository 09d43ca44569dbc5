package dev.waymark.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.domain.RunStatus;
import dev.waymark.domain.RunSummary;
import dev.waymark.store.Page;
import dev.waymark.store.PageCursor;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Only a page that can never change is kept, under its journey, start and size. */
class RunPageCacheTest {
    private static final Instant T0 = Instant.parse("2026-11-23T00:00:00Z");
    private static final Optional<PageCursor> NEXT = Optional.of(new PageCursor(1, "r2"));
    private static final byte[] BYTES = {'{', '}'};

    @Test
    void aPageIsSettledWhenAnotherFollowsAndEveryRunOnItHasEnded() {
        assertThat(RunPageCache.isSettled(page(NEXT, RunStatus.COMPLETED, RunStatus.CANCELLED))).isTrue();
        assertThat(RunPageCache.isSettled(page(NEXT, RunStatus.COMPLETED, RunStatus.RUNNING))).isFalse();
        assertThat(RunPageCache.isSettled(page(NEXT, RunStatus.SCHEDULED))).isFalse();
        assertThat(RunPageCache.isSettled(page(Optional.empty(), RunStatus.COMPLETED, RunStatus.COMPLETED))).isFalse();
    }

    @Test
    void aPageFollowedOnlyByAScheduledRunIsNotSettled() {
        // A schedule change can withdraw that run, and with it the page's NextToken.
        Page<RunSummary> page = page(NEXT, RunStatus.COMPLETED, RunStatus.COMPLETED);
        RunSummary scheduled = new RunSummary("r9", RunStatus.SCHEDULED, T0, T0);
        assertThat(RunPageCache.isSettled(new Page<>(page.items(), NEXT, Optional.of(scheduled)))).isFalse();
        RunSummary running = new RunSummary("r9", RunStatus.RUNNING, T0, T0);
        assertThat(RunPageCache.isSettled(new Page<>(page.items(), NEXT, Optional.of(running)))).isTrue();
    }

    @Test
    void keepsSettledPagesByJourneyStartAndSize() {
        RunPageCache cache = new RunPageCache(1024 * 1024);
        Optional<PageCursor> after = Optional.of(new PageCursor(5, "r0"));
        cache.offer("j", after, 2, page(NEXT, RunStatus.COMPLETED, RunStatus.COMPLETED), BYTES);
        cache.offer("j", Optional.empty(), 2, page(NEXT, RunStatus.COMPLETED, RunStatus.RUNNING), BYTES);
        assertThat(cache.get("j", Optional.of(new PageCursor(5, "r0")), 2)).contains(BYTES);
        assertThat(cache.get("j", after, 3)).isEmpty();
        assertThat(cache.get("k", after, 2)).isEmpty();
        assertThat(cache.get("j", Optional.empty(), 2)).isEmpty();
    }

    @Test
    void aCacheOfNoBytesKeepsNothing() {
        RunPageCache cache = new RunPageCache(0);
        cache.offer("j", Optional.empty(), 2, page(NEXT, RunStatus.COMPLETED, RunStatus.COMPLETED), BYTES);
        assertThat(cache.get("j", Optional.empty(), 2)).isEmpty();
    }

    private static Page<RunSummary> page(Optional<PageCursor> next, RunStatus... statuses) {
        List<RunSummary> runs = java.util.stream.IntStream.range(0, statuses.length)
                .mapToObj(i -> new RunSummary("r" + i, statuses[i], T0.plusMillis(i), T0.plusMillis(i)))
                .toList();
        Optional<RunSummary> following = next.map(cursor -> new RunSummary("r9", RunStatus.COMPLETED, T0, T0));
        return new Page<>(runs, next, following);
    }
}
