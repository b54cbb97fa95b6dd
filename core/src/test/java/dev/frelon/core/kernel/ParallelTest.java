package dev.frelon.core.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(RestoresThreadCount.class)
class ParallelTest {

    /** Runs forRange and returns the chunks it made, checking every index is visited exactly once. */
    private static List<int[]> run(int start, int end, int grain) {
        int n = Math.max(0, end - start);
        AtomicIntegerArray hits = new AtomicIntegerArray(n);
        List<int[]> chunks = Collections.synchronizedList(new ArrayList<>());
        Parallel.forRange(start, end, grain, (lo, hi) -> {
            chunks.add(new int[] {lo, hi});
            for (int i = lo; i < hi; i++) {
                hits.incrementAndGet(i - start);
            }
        });
        for (int i = 0; i < n; i++) {
            assertEquals(1, hits.get(i), "index " + (start + i) + " of [" + start + ", " + end + ") grain " + grain);
        }
        // The chunks tile the range without gaps or overlaps.
        List<int[]> sorted = new ArrayList<>(chunks);
        sorted.sort((a, b) -> Integer.compare(a[0], b[0]));
        int at = start;
        for (int[] c : sorted) {
            assertEquals(at, c[0], "chunk starts where the previous one ended");
            assertTrue(c[1] > c[0], "no empty chunk");
            at = c[1];
        }
        if (n > 0) {
            assertEquals(end, at);
        }
        return chunks;
    }

    @Test
    void coversEveryIndexExactlyOnce() {
        for (int t : new int[] {1, 2, 3, 7}) {
            Parallel.setThreads(t);
            assertEquals(t, Parallel.threads());
            for (int[] c : new int[][] {{0, 1000, 1}, {5, 17, 3}, {0, 1, 1}, {-10, 10, 2}, {0, 100, 1000}, {0, 7, 1},
                    {3, 1_000_003, 100}}) {
                List<int[]> chunks = run(c[0], c[1], c[2]);
                int n = c[1] - c[0];
                int maxChunks = Math.min(t, Math.max(1, n / c[2]));
                assertTrue(chunks.size() <= maxChunks, chunks.size() + " chunks for " + t + " threads");
                assertEquals(maxChunks, chunks.size(), "as many chunks as threads and grain allow");
            }
            assertEquals(0, run(0, 0, 1).size(), "an empty range runs nothing");
            assertEquals(0, run(10, 5, 1).size(), "a reversed range runs nothing");
        }
    }

    @Test
    void chunksRunOnPoolWorkers() {
        Parallel.setThreads(2);
        ConcurrentHashMap<String, Boolean> names = new ConcurrentHashMap<>();
        String caller = Thread.currentThread().getName();
        Parallel.forRange(0, 2, 1, (lo, hi) -> names.put(Thread.currentThread().getName(), true));
        assertEquals(2, names.size(), "two chunks on two threads: " + names.keySet());
        assertTrue(names.containsKey(caller), "the caller runs the first chunk");
        assertTrue(names.keySet().stream().anyMatch(s -> s.startsWith("frelon-worker-")), names.keySet().toString());
        // With one thread everything runs inline.
        Parallel.setThreads(1);
        names.clear();
        Parallel.forRange(0, 100, 1, (lo, hi) -> names.put(Thread.currentThread().getName(), true));
        assertEquals(java.util.Set.of(caller), names.keySet());
    }

    @Test
    void nestedLoopsRunInlineOnWorkers() {
        Parallel.setThreads(2);
        AtomicIntegerArray hits = new AtomicIntegerArray(40);
        ConcurrentHashMap<String, Boolean> innerMismatch = new ConcurrentHashMap<>();
        Parallel.forRange(0, 4, 1, (lo, hi) -> {
            String outer = Thread.currentThread().getName();
            for (int o = lo; o < hi; o++) {
                int base = o * 10;
                Parallel.forRange(0, 10, 1, (a, b) -> {
                    if (!outer.startsWith("frelon-worker-") || Thread.currentThread().getName().equals(outer)) {
                        for (int i = a; i < b; i++) {
                            hits.incrementAndGet(base + i);
                        }
                    } else {
                        innerMismatch.put(Thread.currentThread().getName(), true);
                    }
                });
            }
        });
        for (int i = 0; i < 40; i++) {
            assertEquals(1, hits.get(i), "index " + i);
        }
        assertTrue(innerMismatch.isEmpty(), "a loop nested in a worker stays on that worker");
    }

    @Test
    void rethrowsAChunksException() {
        Parallel.setThreads(2);
        IllegalStateException boom = new IllegalStateException("boom");
        // From the chunk a worker runs ...
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.forRange(0, 10, 1, (lo, hi) -> {
            if (lo > 0) {
                throw boom;
            }
        }));
        assertSame(boom, e);
        // ... and from the caller's own chunk.
        IllegalArgumentException first = new IllegalArgumentException("first chunk");
        assertSame(first, assertThrows(IllegalArgumentException.class, () -> Parallel.forRange(0, 10, 1, (lo, hi) -> {
            if (lo == 0) {
                throw first;
            }
        })));
        // An Error on a worker arrives wrapped, with the original as its cause.
        AssertionError err = new AssertionError("worker error");
        IllegalStateException wrapped = assertThrows(IllegalStateException.class, () -> Parallel.forRange(0, 10, 1, (lo, hi) -> {
            if (lo > 0) {
                throw err;
            }
        }));
        assertSame(err, wrapped.getCause());
        // Inline (one thread) the exception passes straight through.
        Parallel.setThreads(1);
        assertSame(boom, assertThrows(IllegalStateException.class, () -> Parallel.forRange(0, 10, 1, (lo, hi) -> {
            throw boom;
        })));
        // The pool still works afterwards.
        Parallel.setThreads(2);
        run(0, 1000, 1);
    }

    @Test
    void rejectsABadThreadCount() {
        int threads = Parallel.threads();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
        assertEquals("Parallel.setThreads: thread count must be >= 1, got 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(-3));
        assertEquals(threads, Parallel.threads(), "a rejected value changes nothing");
    }
}
