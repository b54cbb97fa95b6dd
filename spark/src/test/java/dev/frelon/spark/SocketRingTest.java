package dev.frelon.spark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataOutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ring over real loopback sockets, without Spark: the same sums as the ring through memory, and failures. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketRingTest {

    static final long TOKEN = 0x5EC12E7L;

    /** Opens n rings on loopback, exchanging ports through memory, and runs {@code work} on each worker's ring. */
    static <T> List<Future<T>> run(int n, ExecutorService pool, java.util.function.BiFunction<Integer, SocketRing, T> work) {
        String[] addresses = new String[n];
        CyclicBarrier met = new CyclicBarrier(n);
        List<Future<T>> out = new ArrayList<>();
        for (int w = 0; w < n; w++) {
            int me = w;
            out.add(pool.submit(() -> {
                SocketRing ring = SocketRing.connect(me, n, TOKEN, port -> {
                    addresses[me] = "127.0.0.1:" + port;
                    try {
                        met.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return addresses.clone();
                }, () -> { });
                try {
                    return work.apply(me, ring);
                } catch (RuntimeException e) {
                    ring.abort();
                    throw e;
                } finally {
                    ring.close();
                }
            }));
        }
        return out;
    }

    static float[][] inputs(int n, int length) {
        float[][] in = new float[n][length];
        for (int w = 0; w < n; w++) {
            for (int i = 0; i < length; i++) {
                in[w][i] = (float) Math.sin(0.37 * i + w) * (w + 1);
            }
        }
        return in;
    }

    @Test
    void socketsSumAsTheInMemoryRingDoesForSmallAndLargeVectors() throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            for (int n : new int[] {2, 3}) {
                // 5M floats: chunks of 6.7–10 MB, more than the task's thread may write without a reader even with
                // the 4 MB buffers granted twice over, go through the sender thread; 1,000 floats go on the task's
                // thread; 2 floats leave some chunks empty.
                for (int length : new int[] {2, 1000, 5_000_000}) {
                    float[][] in = inputs(n, length);
                    float[][] expected = RingAllReduceTest.reduce(in);
                    IntFunction<String> where = w -> "N " + n + ", length " + length + ", worker " + w;
                    List<Future<float[]>> got = run(n, pool, (w, ring) -> {
                        float[] first = new RingAllReduce(w, n, ring).sum(in[w]);
                        float[] second = new RingAllReduce(w, n, ring).sum(in[w]);   // the ring carries on
                        assertArrayEquals(first, second);
                        return first;
                    });
                    for (int w = 0; w < n; w++) {
                        assertArrayEquals(expected[w], got.get(w).get(), where.apply(w));
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aWorkerThatAbortsMakesItsNeighboursFailInsteadOfWaiting() throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            float[][] in = inputs(3, 10_000);
            List<Future<float[]>> got = run(3, pool, (w, ring) -> {
                if (w == 1) {
                    throw new IllegalStateException("worker 1 fails before its first send");
                }
                return new RingAllReduce(w, 3, ring).sum(in[w]);
            });
            for (int w = 0; w < 3; w++) {
                int worker = w;
                ExecutionException e = assertThrows(ExecutionException.class, () -> got.get(worker).get(30, TimeUnit.SECONDS));
                if (w == 1) {
                    assertInstanceOf(IllegalStateException.class, e.getCause());
                } else {
                    assertInstanceOf(UncheckedIOException.class, e.getCause(), "worker " + w + ": " + e.getCause());
                    assertTrue(e.getCause().getMessage().contains("did it fail?"), e.getCause().getMessage());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aStrangerWithoutTheSecretIsRefused() throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            CyclicBarrier listening = new CyclicBarrier(2);
            int[] port = new int[1];
            // Worker 0's "next" is a socket that accepts connections into its backlog and never reads, so the only
            // connection worker 0 can accept is the stranger's.
            java.net.ServerSocket sink = new java.net.ServerSocket(0);
            Future<SocketRing> lonely = pool.submit(() -> SocketRing.connect(0, 2, TOKEN, p -> {
                port[0] = p;
                try {
                    listening.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return new String[] {"127.0.0.1:" + p, "127.0.0.1:" + sink.getLocalPort()};
            }, () -> { }));
            listening.await();
            // Connect as "worker 1" with the wrong secret before the ring's own connection is accepted.
            try (Socket stranger = new Socket("127.0.0.1", port[0])) {
                DataOutputStream out = new DataOutputStream(stranger.getOutputStream());
                out.writeLong(TOKEN + 1);
                out.writeInt(1);
                out.flush();
                ExecutionException e = assertThrows(ExecutionException.class, () -> lonely.get(30, TimeUnit.SECONDS));
                assertTrue(e.getCause().getMessage().contains("expected worker 1 of this run to connect, got a stranger"),
                        e.getCause().getMessage());
            } finally {
                sink.close();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
