package dev.frelon.spark;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The in-JVM ring that tasks sharing a JVM join by key: sums, separation of stage attempts, abort and clean-up. */
class LocalRingTest {

    /** Three workers join under one key and two under another, at once; each group sums its own vectors exactly. */
    @Test
    void tasksJoiningByKeySumTheirOwnGroupAndLeaveNothingBehind() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Future<float[]>> a = new ArrayList<>(), b = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                int worker = w;
                a.add(pool.submit(() -> sum("run/1/0", worker, 3, new float[] {worker, 10 * worker, 1})));
            }
            for (int w = 0; w < 2; w++) {
                int worker = w;
                b.add(pool.submit(() -> sum("run/1/1", worker, 2, new float[] {100 + worker, -worker})));
            }
            for (Future<float[]> f : a) {
                assertArrayEquals(new float[] {3, 30, 3}, f.get(30, TimeUnit.SECONDS), 0f);
            }
            for (Future<float[]> f : b) {
                assertArrayEquals(new float[] {201, -1}, f.get(30, TimeUnit.SECONDS), 0f);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, LocalRing.openGroups(), "the last task to leave removes its group");
    }

    private static float[] sum(String key, int worker, int workers, float[] values) {
        LocalRing ring = LocalRing.join(key, worker, workers, () -> { });
        try {
            return new RingAllReduce(worker, workers, ring).sum(values);
        } finally {
            ring.close();
        }
    }

    /** A task that aborts makes its neighbour's wait fail at the next poll, not after the five-minute timeout. */
    @Test
    void anAbortedNeighbourFailsTheWaitingTask() throws Exception {
        LocalRing waiting = LocalRing.join("run/2/0", 1, 2, () -> { });
        LocalRing failing = LocalRing.join("run/2/0", 0, 2, () -> { });
        failing.abort();
        long t0 = System.nanoTime();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> waiting.receive(new float[1], 0, 1));
        assertTrue(e.getMessage().contains("a worker of this stage failed"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
        waiting.close();
        assertEquals(0, LocalRing.openGroups());
    }

    /** A message of the wrong length is an error that names both lengths. */
    @Test
    void aMessageOfTheWrongLengthIsRefused() {
        LocalRing.Wires wires = new LocalRing.Wires(2);
        RingLink zero = wires.link(0, () -> { }), one = wires.link(1, () -> { });
        zero.send(new float[] {1, 2, 3}, 0, 3);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> one.receive(new float[2], 0, 2));
        assertEquals("ring: expected 2 values from the previous worker, got 3", e.getMessage());
    }

    /** Addresses name their JVM: the in-JVM ring is chosen only when every task's address carries this JVM's id. */
    @Test
    void onlyAddressesOfThisJvmChooseTheInJvmRing() {
        String here = "@" + LocalRing.JVM_ID;
        assertTrue(LocalRing.allHere(new String[] {"10.0.0.1:4000" + here, "10.0.0.1:4001" + here}));
        assertFalse(LocalRing.allHere(new String[] {"10.0.0.1:4000" + here, "10.0.0.2:4001@123-abc"}));
    }
}
