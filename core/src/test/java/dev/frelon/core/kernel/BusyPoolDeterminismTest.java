package dev.frelon.core.kernel;

import dev.frelon.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same bits whether the worker pool is free or held by another application thread: a parallel loop that
 * cannot get the pool runs the same chunks on the calling thread, so every kernel sees the same sub-ranges.
 */
@ExtendWith(RestoresThreadCount.class)
class BusyPoolDeterminismTest {

    /** Runs {@code work} on this thread while another thread holds the pool inside a parallel loop. */
    private static <T> T whileThePoolIsHeld(Supplier<T> work) throws Exception {
        CountDownLatch holding = new CountDownLatch(1), release = new CountDownLatch(1);
        Thread holder = new Thread(() -> Parallel.forRange(0, 2, 1, (lo, hi) -> {
            if (lo == 0) {
                holding.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }));
        holder.start();
        assertTrue(holding.await(60, TimeUnit.SECONDS), "the holder thread entered the pool");
        try {
            return work.get();
        } finally {
            release.countDown();
            holder.join();
        }
    }

    private static List<String> chunks(int start, int end, int grain) {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        Parallel.forRange(start, end, grain, (lo, hi) -> seen.add(lo + ".." + hi));
        List<String> sorted = new ArrayList<>(seen);
        Collections.sort(sorted);
        return sorted;
    }

    @Test
    void aBusyPoolRunsTheSameChunksInline() throws Exception {
        Parallel.setThreads(3);
        List<String> free = chunks(5, 1005, 10);
        assertEquals(List.of("338..671", "5..338", "671..1005"), free);
        List<String> busy = whileThePoolIsHeld(() -> chunks(5, 1005, 10));
        assertEquals(free, busy);
    }

    @Test
    void aProductGivesTheSameBitsWhetherThePoolIsFreeOrHeld() throws Exception {
        Parallel.setThreads(2);
        // [40, 120]·[120, 84]ᵀ: 403,200 multiply-adds, enough to be split over the pool into column bands whose
        // blocking differs from that of the whole product.
        Tensor a = Tensor.randn(new int[] {40, 120}, 1), b = Tensor.randn(new int[] {84, 120}, 2);
        Tensor free = a.matmul(b.t());
        for (int i = 0; i < 20; i++) {
            Tensor busy = whileThePoolIsHeld(() -> a.matmul(b.t()));
            assertEquals(free, busy, "try " + i);
        }
        Tensor x = Tensor.randn(new int[] {3, 300, 200}, 3), w = Tensor.randn(new int[] {200, 150}, 4);
        Tensor batched = x.matmul(w);
        assertEquals(batched, whileThePoolIsHeld(() -> x.matmul(w)));
    }
}
