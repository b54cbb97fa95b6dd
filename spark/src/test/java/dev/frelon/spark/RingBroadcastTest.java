package dev.frelon.spark;

import dev.frelon.core.Rng;
import dev.frelon.nn.Linear;
import dev.frelon.optim.SGD;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Worker 0's vector along the ring, in memory and over loopback sockets, and the checkpoint it carries. */
class RingBroadcastTest {

    /** Worker 0's vector: every bit pattern differs, NaN payloads and negative zero included. */
    private static float[] source(int length) {
        float[] v = new float[length];
        for (int i = 0; i < length; i++) {
            v[i] = Float.intBitsToFloat(0x3f800000 + i * 7919);
        }
        if (length > 2) {
            v[1] = -0f;
            v[2] = Float.intBitsToFloat(0x7fc00123);   // a quiet NaN with a payload
        }
        return v;
    }

    private static void assertSameBits(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                throw new AssertionError(what + ": element " + i + " differs");
            }
        }
    }

    @Test
    void everyWorkerGetsWorker0sBitsInMemory() throws Exception {
        for (int n : new int[] {1, 2, 3, 5}) {
            for (int length : new int[] {0, 1, 3, RingBroadcast.CHUNK - 1, RingBroadcast.CHUNK, 2 * RingBroadcast.CHUNK + 5}) {
                List<float[]> out = RingAllReduceTest.onLocalRing(n, (worker, link) -> {
                    float[] v = worker == 0 ? source(length) : new float[length];
                    RingBroadcast.fromWorker0(link, worker, n, v);
                    return v;
                });
                for (int w = 0; w < n; w++) {
                    assertSameBits(source(length), out.get(w), "N " + n + ", length " + length + ", worker " + w);
                }
            }
        }
    }

    @Test
    void everyWorkerGetsWorker0sBitsOverSockets() throws Exception {
        int n = 3, length = RingBroadcast.CHUNK + 17;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<float[]>> out = SocketRingTest.run(n, pool, (worker, ring) -> {
                float[] v = worker == 0 ? source(length) : new float[length];
                RingBroadcast.fromWorker0(ring, worker, n, v);
                // The ring still carries an all-reduce afterwards: the last worker sent nothing to worker 0.
                float[] one = {worker};
                new RingAllReduce(worker, n, ring).sumInPlace(one);
                assertEquals(3f, one[0]);
                return v;
            });
            for (int w = 0; w < n; w++) {
                assertSameBits(source(length), out.get(w).get(), "worker " + w);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aCheckpointTravelsAsASkeletonAndItsValues() {
        Linear sent = new Linear(4, 3, true, new Rng(1));
        SGD optimizer = new SGD(sent.parameters(), 0.1, SGD.momentum(0.9));
        TrainingState state = TrainingState.capture(sent, optimizer);
        TrainingState skeleton = state.skeleton();
        assertTrue(state.hasValues());
        assertFalse(skeleton.hasValues());
        assertEquals(state.size(), skeleton.size());

        Linear received = new Linear(4, 3, true, new Rng(2));
        skeleton.withValues(state.values()).restore(received, new SGD(received.parameters(), 0.1, SGD.momentum(0.9)), 1);
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(sent.parameters().get(i).data().toArray(), received.parameters().get(i).data().toArray());
        }

        var e = assertThrows(IllegalArgumentException.class, () -> skeleton.withValues(new float[3]));
        assertEquals("SparkTrainer: a checkpoint of " + state.size() + " values received 3", e.getMessage());
        var s = assertThrows(IllegalStateException.class, () -> skeleton.restore(received, new SGD(received.parameters(), 0.1), 4));
        assertTrue(s.getMessage().contains("worker 4 was given a checkpoint without its values"), s.getMessage());
    }
}
