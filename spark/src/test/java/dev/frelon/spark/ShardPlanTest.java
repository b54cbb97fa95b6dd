package dev.frelon.spark;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardPlanTest {

    @Test
    void shardsDifferByAtMostOneExampleAndCoverTheData() {
        ShardPlan p = new ShardPlan(203, 3, 8, 1);
        assertEquals(68, p.shardSize(0));   // 0, 3, ..., 201
        assertEquals(68, p.shardSize(1));   // 1, 4, ..., 202
        assertEquals(67, p.shardSize(2));   // 2, 5, ..., 200
        assertEquals(9, p.stepsPerEpoch()); // ceil(68 / 8)
        assertEquals(24, p.globalCount(0));
        assertEquals(4 + 4 + 3, p.globalCount(8));
        assertEquals(18, p.globalIndex(0, 6));
        assertEquals(16, p.globalIndex(1, 5));
    }

    @Test
    void everyEpochUsesEveryExampleExactlyOnce() {
        for (int workers : new int[] {1, 2, 3, 5}) {
            ShardPlan p = new ShardPlan(101, workers, 7, 42);
            for (int epoch = 0; epoch < 3; epoch++) {
                int[] uses = new int[101];
                for (int s = 0; s < p.stepsPerEpoch(); s++) {
                    long[] batch = p.globalBatch(epoch, s);
                    assertEquals(p.globalCount(s), batch.length);
                    for (long i : batch) {
                        uses[(int) i]++;
                    }
                }
                int[] once = new int[101];
                Arrays.fill(once, 1);
                assertArrayEquals(once, uses, "workers " + workers + ", epoch " + epoch);
            }
        }
    }

    @Test
    void ordersDependOnSeedEpochAndWorkerOnly() {
        ShardPlan a = new ShardPlan(1000, 2, 16, 7), b = new ShardPlan(1000, 2, 16, 7);
        assertArrayEquals(a.order(3, 1), b.order(3, 1));
        assertFalse(Arrays.equals(a.order(3, 1), a.order(4, 1)));
        assertFalse(Arrays.equals(a.order(3, 0), a.order(3, 1)));
        assertFalse(Arrays.equals(a.order(3, 1), new ShardPlan(1000, 2, 16, 8).order(3, 1)));
        int[] sorted = a.order(0, 0).clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
    }

    @Test
    void globalBatchListsWorkersInOrder() {
        ShardPlan p = new ShardPlan(10, 2, 2, 3);
        long[] g = p.globalBatch(0, 1);
        int[] o0 = p.order(0, 0), o1 = p.order(0, 1);
        assertArrayEquals(new long[] {2L * o0[2], 2L * o0[3], 1 + 2L * o1[2], 1 + 2L * o1[3]}, g);
        assertEquals(3, p.stepsPerEpoch());
        assertEquals(2, p.globalCount(2));   // 5 examples each: the last step takes one from each
    }

    @Test
    void rejectsImpossiblePlans() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ShardPlan(2, 3, 4, 0));
        assertTrue(e.getMessage().contains("2 examples cannot feed 3 workers"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ShardPlan(10, 0, 4, 0));
        assertThrows(IllegalArgumentException.class, () -> new ShardPlan(10, 2, 0, 0));
        ShardPlan p = new ShardPlan(10, 2, 4, 0);
        e = assertThrows(IllegalArgumentException.class, () -> p.globalBatch(0, 3));
        assertTrue(e.getMessage().contains("step 3 is not in [0, 2)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> p.shardSize(2));
    }
}
