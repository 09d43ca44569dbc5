package dev.waymark.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.waymark.store.PageCursor;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Only a page that can never change is kept, under its journey, start and size. */
class RunPageCacheTest {
    private static final Optional<PageCursor> NEXT = Optional.of(new PageCursor(1, "r2"));
    private static final byte[] BYTES = {'{', '}'};

    @Test
    void aPageIsSettledWhenAnotherFollowsAndEveryRunOnItHasEnded() {
        assertThat(RunPageCache.isSettled(read(NEXT, RunStatus.COMPLETED), true)).isTrue();
        assertThat(RunPageCache.isSettled(read(NEXT, RunStatus.COMPLETED), false)).isFalse();
        assertThat(RunPageCache.isSettled(read(Optional.empty(), null), true)).isFalse();
    }

    @Test
    void aPageFollowedByAScheduledRunIsNotSettled() {
        // A schedule change can withdraw that run, and with it the page's NextToken.
        assertThat(RunPageCache.isSettled(read(NEXT, RunStatus.SCHEDULED), true)).isFalse();
        assertThat(RunPageCache.isSettled(read(NEXT, RunStatus.RUNNING), true)).isTrue();
    }

    @Test
    void keepsSettledPagesByJourneyStartAndSize() {
        RunPageCache cache = new RunPageCache(1024 * 1024);
        Optional<PageCursor> after = Optional.of(new PageCursor(5, "r0"));
        cache.offer("j", after, 2, read(NEXT, RunStatus.COMPLETED), true, () -> BYTES);
        cache.offer("j", Optional.empty(), 2, read(NEXT, RunStatus.COMPLETED), false, () -> BYTES);
        assertThat(cache.get("j", Optional.of(new PageCursor(5, "r0")), 2)).contains(BYTES);
        assertThat(cache.get("j", after, 3)).isEmpty();
        assertThat(cache.get("k", after, 2)).isEmpty();
        assertThat(cache.get("j", Optional.empty(), 2)).isEmpty();
    }

    @Test
    void aCacheOfNoBytesKeepsNothing() {
        RunPageCache cache = new RunPageCache(0);
        cache.offer("j", Optional.empty(), 2, read(NEXT, RunStatus.COMPLETED), true, () -> BYTES);
        assertThat(cache.get("j", Optional.empty(), 2)).isEmpty();
    }

    /** A read of a journey's page: {@code next} where the next page starts, {@code following} its first run. */
    private static RunPageRead read(Optional<PageCursor> next, RunStatus following) {
        return new RunPageRead(RunPageRead.Found.JOURNEY, next, Optional.ofNullable(following));
    }
}
