package dev.frelon.spark;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RingAllReduceTest {

    /** Runs {@code work} for n workers over in-memory wires, one thread per worker, and returns their results. */
    static <T> List<T> onLocalRing(int n, java.util.function.BiFunction<Integer, RingLink, T> work) throws Exception {
        LocalRing.Wires ring = new LocalRing.Wires(n);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<T>> out = new ArrayList<>();
            for (int w = 0; w < n; w++) {
                int worker = w;
                RingLink link = ring.link(worker, () -> { });
                out.add(pool.submit(() -> work.apply(worker, link)));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : out) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs the ring over in-memory wires, one thread per worker, and returns every worker's result. */
    static float[][] reduce(float[][] inputs) throws Exception {
        int n = inputs.length;
        return onLocalRing(n, (worker, link) -> new RingAllReduce(worker, n, link).sum(inputs[worker]))
                .toArray(new float[0][]);
    }

    @Test
    void everyWorkerGetsTheExactSumOfIntegers() throws Exception {
        for (int n : new int[] {1, 2, 3, 4, 7}) {
            for (int length : new int[] {1, 2, 5, 13, 100}) {
                float[][] in = new float[n][length];
                float[] expected = new float[length];
                for (int w = 0; w < n; w++) {
                    for (int i = 0; i < length; i++) {
                        in[w][i] = 1000 * w + i;   // small integers: every order of addition is exact
                        expected[i] += in[w][i];
                    }
                }
                float[][] out = reduce(in);
                for (int w = 0; w < n; w++) {
                    assertArrayEquals(expected, out[w], "N " + n + ", length " + length + ", worker " + w);
                }
            }
        }
    }

    @Test
    void theOrderOfAdditionIsFixedSoAllWorkersAgreeToTheBit() throws Exception {
        // 1e8, 1, -1e8 sum to 0 or 1 depending on the order; the ring adds chunk c from worker c onward.
        float[][] in = {{1e8f, 1, -1e8f}, {1, -1e8f, 1e8f}, {-1e8f, 1e8f, 1}};
        float[][] out = reduce(in);
        float[] chunkOrder = {(1e8f + 1f) + -1e8f, (-1e8f + 1e8f) + 1f, (1f + 1e8f) + -1e8f};
        for (float[] o : out) {
            assertArrayEquals(chunkOrder, o);
        }
        assertArrayEquals(out[0], reduce(in)[0], "and again");
    }

    @Test
    void inputsAreNotModified() throws Exception {
        float[][] in = {{1, 2, 3}, {4, 5, 6}};
        reduce(in);
        assertArrayEquals(new float[] {1, 2, 3}, in[0]);
        assertArrayEquals(new float[] {4, 5, 6}, in[1]);
    }
}
