package dev.waymark.audience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AppWriteQueueTest {
    @Test
    void writesOfOneAppRunOneAtATimeAndEveryOneRuns() throws Exception {
        AppWriteQueue queue = new AppWriteQueue();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                writes.add(pool.submit(() -> {
                    start.await();
                    for (int round = 0; round < 20; round++) {
                        queue.run("app-1", () -> {
                            most.accumulateAndGet(running.incrementAndGet(), Math::max);
                            Thread.onSpinWait();
                            running.decrementAndGet();
                            return done.incrementAndGet();
                        });
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> write : writes) {
                write.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(most.get()).isEqualTo(1);
        assertThat(done.get()).isEqualTo(32 * 20);
    }

    @Test
    void aFailedWriteLetsTheNextOneIn() {
        AppWriteQueue queue = new AppWriteQueue();
        try {
            queue.run("app-1", () -> {
                throw new IllegalStateException("boom");
            });
        } catch (IllegalStateException expected) {
            // The lock must be free again.
        }
        assertThat(queue.run("app-1", () -> "next")).isEqualTo("next");
    }
}
