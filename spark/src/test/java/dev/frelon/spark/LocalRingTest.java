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

    private static final int LENGTH = 5003;

    /** The sum of {@code values} over the workers, offered in pieces of 2,500, 0, 1 and 2,502 elements. */
    private static float[] sumOf(AllReduce ar, float[] values) {
        SplitVector split = new SplitVector(2500, 0, 1, 2502);
        for (int p = 0; p < split.pieces(); p++) {
            split.set(p, java.util.Arrays.copyOfRange(values, split.start(p), split.start(p) + split.length(p)));
        }
        ar.sumInPlace(split);
        return split.gather().clone();
    }

    /**
     * The shared-memory sum gives the ring all-reduce's bits on every worker, for every worker count: values over
     * many magnitudes make the order of additions show. The first call sums a vector in pieces (an empty one among
     * them, and pieces that straddle the workers' chunks and the sum's blocks), the second one array, right after:
     * a worker may not write into a vector before its owner has offered it. An uneven length gives chunks of
     * different sizes.
     */
    @Test
    void theSharedSumHasTheRingsBitsForEveryWorkerCount() throws Exception {
        for (int n = 2; n <= 5; n++) {
            int workers = n;
            java.util.SplittableRandom r = new java.util.SplittableRandom(n);
            float[][][] calls = new float[2][workers][LENGTH];
            for (float[][] call : calls) {
                for (float[] v : call) {
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (float) ((r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-4, 5)));
                    }
                }
            }
            LocalRing.Wires ringWires = new LocalRing.Wires(workers), sharedWires = new LocalRing.Wires(workers);
            ExecutorService pool = Executors.newFixedThreadPool(workers);
            try {
                List<Future<float[][]>> ring = new ArrayList<>(), shared = new ArrayList<>();
                for (int w = 0; w < workers; w++) {
                    int worker = w;
                    ring.add(pool.submit(() -> {
                        RingAllReduce ar = new RingAllReduce(worker, workers, ringWires.link(worker, () -> { }));
                        return new float[][] {sumOf(ar, calls[0][worker]), ar.sum(calls[1][worker])};
                    }));
                }
                for (int w = 0; w < workers; w++) {
                    int worker = w;
                    shared.add(pool.submit(() -> {
                        AllReduce ar = sharedWires.link(worker, () -> { }).allReduce(worker, workers);
                        float[] first = sumOf(ar, calls[0][worker]);
                        float[] second = calls[1][worker].clone();
                        ar.sumInPlace(second);
                        return new float[][] {first, second};
                    }));
                }
                for (int w = 0; w < workers; w++) {
                    float[][] expected = ring.get(w).get(30, TimeUnit.SECONDS), got = shared.get(w).get(30, TimeUnit.SECONDS);
                    for (int c = 0; c < 2; c++) {
                        for (int i = 0; i < LENGTH; i++) {
                            assertEquals(Float.floatToRawIntBits(expected[c][i]), Float.floatToRawIntBits(got[c][i]),
                                    workers + " workers, worker " + w + ", call " + c + ", element " + i);
                        }
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** A worker that aborts makes the others' shared sums fail at once, not after the five-minute timeout. */
    @Test
    void anAbortedWorkerFailsTheSharedSum() {
        LocalRing waiting = LocalRing.join("run/3/0", 1, 2, () -> { });
        LocalRing failing = LocalRing.join("run/3/0", 0, 2, () -> { });
        AllReduce sum = waiting.allReduce(1, 2);
        failing.abort();
        long t0 = System.nanoTime();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> sum.sumInPlace(new float[3]));
        assertEquals("ring: a worker of this stage failed (in-JVM sum, worker 1 waiting)", e.getMessage());
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
        waiting.close();
        assertEquals(0, LocalRing.openGroups());

        // A worker that aborts with its failure has it named in its neighbours' errors.
        LocalRing second = LocalRing.join("run/3/1", 1, 2, () -> { });
        LocalRing.join("run/3/1", 0, 2, () -> { }).abort(new IllegalStateException("broken worker"));
        e = assertThrows(IllegalStateException.class, () -> second.allReduce(1, 2).sumInPlace(new float[3]));
        assertEquals("ring: a worker of this stage failed (in-JVM sum, worker 1 waiting): worker 0 failed with "
                + "java.lang.IllegalStateException: broken worker", e.getMessage());
        second.close();
        assertEquals(0, LocalRing.openGroups());
    }

    /**
     * Vectors of different lengths or pieces are an error on every worker, naming both; so is a wrong worker number.
     */
    @Test
    void theSharedSumRefusesVectorsOfDifferentLengths() throws Exception {
        LocalRing.Wires wires = new LocalRing.Wires(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Throwable> zero = pool.submit(() -> assertThrows(IllegalStateException.class,
                    () -> wires.link(0, () -> { }).allReduce(0, 2).sumInPlace(new float[4])));
            Future<Throwable> one = pool.submit(() -> assertThrows(IllegalStateException.class,
                    () -> wires.link(1, () -> { }).allReduce(1, 2).sumInPlace(new float[3])));
            assertEquals("ring: worker 1 offered 3 values to the sum, worker 0 4", zero.get(30, TimeUnit.SECONDS).getMessage());
            assertEquals("ring: worker 0 offered 4 values to the sum, worker 1 3", one.get(30, TimeUnit.SECONDS).getMessage());

            // The same number of values in pieces of other lengths would sum elements that mean different things.
            LocalRing.Wires again = new LocalRing.Wires(2);
            Future<Throwable> split = pool.submit(() -> assertThrows(IllegalStateException.class,
                    () -> again.link(0, () -> { }).allReduce(0, 2).sumInPlace(new SplitVector(1, 3))));
            Future<Throwable> whole = pool.submit(() -> assertThrows(IllegalStateException.class,
                    () -> again.link(1, () -> { }).allReduce(1, 2).sumInPlace(new float[4])));
            assertEquals("ring: worker 1 offered pieces of [4] values to the sum, worker 0 [1, 3]",
                    split.get(30, TimeUnit.SECONDS).getMessage());
            assertEquals("ring: worker 0 offered pieces of [1, 3] values to the sum, worker 1 [4]",
                    whole.get(30, TimeUnit.SECONDS).getMessage());
        } finally {
            pool.shutdownNow();
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> wires.link(1, () -> { }).allReduce(0, 2));
        assertEquals("ring: worker 0 of 2 asked for the sum of a ring joined as worker 1 of 2", e.getMessage());
    }

    /** Addresses name their JVM: the in-JVM ring is chosen only when every task's address carries this JVM's id. */
    @Test
    void onlyAddressesOfThisJvmChooseTheInJvmRing() {
        String here = "@" + LocalRing.JVM_ID;
        assertTrue(LocalRing.allHere(new String[] {"10.0.0.1:4000" + here, "10.0.0.1:4001" + here}));
        assertFalse(LocalRing.allHere(new String[] {"10.0.0.1:4000" + here, "10.0.0.2:4001@123-abc"}));
    }
}
