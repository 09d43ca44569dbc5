package dev.waymark.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class BackgroundPacingTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long T0 = System.nanoTime() + 1_000 * MS;
    private static final double BUSY = BackgroundPacing.BUSY_AT;

    @Test
    void restsFourTimesItsWorkAtAFifthWhileRequestsAreBusy() {
        BackgroundPacing pacing = new BackgroundPacing(new RequestLoad(), 0.2);
        assertThat(pacing.restNanos(50 * MS, BUSY, T0)).isEqualTo(200 * MS);
        assertThat(pacing.restNanos(50 * MS, BUSY * 4, T0 + 250 * MS)).as("after its rest, again").isEqualTo(200 * MS);
    }

    @Test
    void threadsOfOneGroupRestInTurnSoThatTheGroupKeepsToTheShare() {
        BackgroundPacing pacing = new BackgroundPacing(new RequestLoad(), 0.2);
        // Eight send threads each finish 10 ms of work at the same instant: the group owes 8 x 40 ms of rest, and
        // the last to ask rests through all of it.
        long last = 0;
        for (int i = 0; i < 8; i++) {
            last = pacing.restNanos(10 * MS, BUSY, T0);
        }
        assertThat(last).isEqualTo(320 * MS);
        // Once the group's rest is over, a new piece of work owes only its own.
        assertThat(pacing.restNanos(10 * MS, BUSY, T0 + 400 * MS)).isEqualTo(40 * MS);
    }

    @Test
    void doesNotRestWhileRequestsAreFewOrWithAShareOfOne() {
        assertThat(new BackgroundPacing(new RequestLoad(), 0.2).restNanos(50 * MS, BUSY - 0.01, T0)).isZero();
        assertThat(new BackgroundPacing(new RequestLoad(), 1).restNanos(50 * MS, BUSY * 4, T0)).isZero();
        assertThat(BackgroundPacing.NONE.restNanos(50 * MS, BUSY * 4, T0)).isZero();
    }

    @Test
    void oneRestIsBounded() {
        BackgroundPacing pacing = new BackgroundPacing(new RequestLoad(), 0.01);
        assertThat(pacing.restNanos(TimeUnit.SECONDS.toNanos(10), BUSY, T0))
                .isEqualTo(BackgroundPacing.LONGEST_REST_NANOS);
        assertThat(pacing.restNanos(TimeUnit.SECONDS.toNanos(10), BUSY, T0))
                .as("a group's rests never queue past the bound").isEqualTo(BackgroundPacing.LONGEST_REST_NANOS);
    }

    @Test
    void aRequestIsMeasuredByItsThreadsCpuTimeNotByWaiting() throws InterruptedException {
        long before = RequestLoad.threadCpuNanos();
        Thread.sleep(100);
        long slept = RequestLoad.threadCpuNanos() - before;
        assertThat(slept).as("CPU time of a thread that slept 100 ms").isLessThan(50 * MS);
    }

    @Test
    void refusesASharePastItsRange() {
        assertThatThrownBy(() -> new BackgroundPacing(new RequestLoad(), 0)).hasMessageContaining("busy share");
        assertThatThrownBy(() -> new BackgroundPacing(new RequestLoad(), 1.5)).hasMessageContaining("busy share");
        assertThatThrownBy(() -> new BackgroundPacing(new RequestLoad(), Double.NaN))
                .hasMessageContaining("busy share");
    }

    @Test
    void loadIsTheTimeServedPerWallTimeOfAFinishedWindow() {
        RequestLoad load = new RequestLoad();
        long windowStart = System.nanoTime() + RequestLoad.WINDOW_NANOS;
        load.coresAt(windowStart);
        // 64 requests of 10 ms of CPU each in a window of 200 ms: 3.2 cores on average.
        for (int i = 0; i < 64; i++) {
            load.served(10 * MS);
        }
        assertThat(load.coresAt(windowStart + RequestLoad.WINDOW_NANOS / 2)).as("window not over yet")
                .isZero();
        assertThat(load.coresAt(windowStart + RequestLoad.WINDOW_NANOS)).isCloseTo(3.2, Offset.offset(0.001));
        assertThat(load.coresAt(windowStart + 2 * RequestLoad.WINDOW_NANOS)).as("no requests since").isZero();
    }
}
