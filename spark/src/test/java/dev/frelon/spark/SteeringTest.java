package dev.frelon.spark;

import dev.frelon.nn.Linear;
import dev.frelon.core.Rng;
import dev.frelon.optim.SGD;
import dev.frelon.train.fit.BatchTotals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The driver's {@link Steering} and the tasks' {@link DriverLink} over loopback sockets, without Spark: workers
 * played by threads register, take orders and report; retries, strangers, failures and untrusted frames.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SteeringTest {

    private static final long TOKEN = 0x57EE21L;
    private static final Runnable NO_KILL = () -> { };

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final Steering steering = new Steering(0, TOKEN, 2);

    @AfterEach
    void stop() {
        steering.close();
        pool.shutdownNow();
    }

    private static TrainingState state(long seed) {
        Linear model = new Linear(3, 2, true, new Rng(seed));
        return TrainingState.capture(model, new SGD(model.parameters(), 0.1));
    }

    /** A result that says which worker, attempt and interval it came from (in its step count and index sum). */
    private static SegmentResult result(int worker, int attempt, SegmentOrder order) {
        return new SegmentResult(worker, new BatchTotals(), 1000L * attempt + order.epoch(), 0, order.to() - order.from(),
                0, 0, "jvm", -1, 0, null);
    }

    /**
     * A worker of one attempt: registers, then runs orders until there are none (or {@code ordersToRun} ran),
     * returning the orders it received.
     */
    private Future<List<SegmentOrder>> worker(int stage, int attempt, int worker, int ordersToRun) {
        return pool.submit(() -> {
            List<SegmentOrder> seen = new ArrayList<>();
            try (DriverLink link = DriverLink.connect("127.0.0.1", steering.port(), TOKEN, stage, attempt, worker, 2,
                    NO_KILL)) {
                String[] addresses = link.register("w" + worker + "a" + attempt);
                assertArrayEquals(new String[]{"w0a" + attempt, "w1a" + attempt}, addresses);
                for (SegmentOrder o = link.nextOrder(); o != null; o = link.nextOrder()) {
                    seen.add(o);
                    if (seen.size() > ordersToRun) {
                        return seen;   // this worker "fails" before reporting
                    }
                    link.report(result(worker, attempt, o));
                }
            }
            return seen;
        });
    }

    /**
     * Ends a stage as the driver and Spark do: the driver says there are no more orders, the workers end, then the
     * stage's job ends (which closes its connections).
     */
    /** One interval with the same order, checkpoint values included, for every worker. */
    private List<SegmentResult> runAll(SegmentOrder order) throws Steering.StageFailed {
        return steering.run(order, order);
    }

    @SafeVarargs
    private void finishStage(int stage, Future<List<SegmentOrder>>... workers) throws Exception {
        Future<?> finish = pool.submit(() -> {
            steering.finish();
            return null;
        });
        for (Future<List<SegmentOrder>> w : workers) {
            w.get();
        }
        steering.stageEnded(stage, null);
        finish.get();
    }

    @Test
    void ordersReachEveryWorkerAndTheirResultsComeBackIndexedByWorker() throws Exception {
        steering.expectStage(0);
        Future<List<SegmentOrder>> w0 = worker(0, 0, 0, 99), w1 = worker(0, 0, 1, 99);
        TrainingState start = state(1);
        List<SegmentResult> first = runAll(new SegmentOrder(0, 0, 5, start));
        List<SegmentResult> second = runAll(new SegmentOrder(1, 5, 12, start));
        assertEquals(List.of(0, 1), first.stream().map(SegmentResult::worker).toList());
        assertEquals(5, first.get(1).steps());
        assertEquals(7, second.get(0).steps());
        assertEquals(1L, second.get(0).indexSum(), "epoch 1's result");
        finishStage(0, w0, w1);
        List<SegmentOrder> got = w1.get();
        assertEquals(2, got.size());
        assertEquals(12, got.get(1).to());
        // The checkpoint arrives whole: the parameters it was taken from, bit for bit.
        Linear received = new Linear(3, 2, true, new Rng(9));
        got.get(0).start().restore(received, new SGD(received.parameters(), 0.1), 1);
        assertArrayEquals(new Linear(3, 2, true, new Rng(1)).parameters().get(0).data().toArray(),
                received.parameters().get(0).data().toArray());
        assertEquals(2, w0.get().size());
        assertEquals(1, steering.attempts());
    }

    @Test
    void worker0GetsTheCheckpointAndTheOthersItsSkeleton() throws Exception {
        steering.expectStage(0);
        Future<List<SegmentOrder>> w0 = worker(0, 0, 0, 99), w1 = worker(0, 0, 1, 99);
        TrainingState start = state(7);
        steering.run(new SegmentOrder(0, 0, 3, start), new SegmentOrder(0, 0, 3, start.skeleton()));
        finishStage(0, w0, w1);
        assertTrue(w0.get().get(0).start().hasValues());
        assertFalse(w1.get().get(0).start().hasValues());
        assertEquals(start.size(), w1.get().get(0).start().size());
    }

    @Test
    void aRetriedAttemptGetsTheSameOrderAndTheFailedAttemptsResultsAreDropped() throws Exception {
        steering.expectStage(0);
        // Attempt 0: worker 0 reports, worker 1 takes the order and "fails" without reporting.
        Future<List<SegmentOrder>> a0w0 = worker(0, 0, 0, 99), a0w1 = worker(0, 0, 1, 0);
        Future<List<SegmentResult>> run = pool.submit(() -> runAll(new SegmentOrder(3, 0, 4, state(2))));
        assertEquals(3, a0w1.get().get(0).epoch());
        Future<List<SegmentOrder>> a1w0 = worker(0, 1, 0, 99), a1w1 = worker(0, 1, 1, 99);
        List<SegmentResult> results = run.get();
        assertEquals(1003L, results.get(0).indexSum(), "attempt 1's result, not attempt 0's");
        assertEquals(1003L, results.get(1).indexSum());
        assertEquals(2, steering.attempts());
        finishStage(0, a1w0, a1w1);
        assertEquals(3, a1w0.get().get(0).epoch(), "the retry got the interval in progress");
        assertEquals(1, a1w1.get().size());
        // The failed attempt's connections were closed when the retry took over: its worker 0 stopped waiting.
        assertThrows(java.util.concurrent.ExecutionException.class, a0w0::get);
    }

    @Test
    void aStageThatFailsForGoodEndsTheRunWithItsCause() throws Exception {
        steering.expectStage(0);
        Future<List<SegmentOrder>> w0 = worker(0, 0, 0, 0), w1 = worker(0, 0, 1, 0);
        RuntimeException cause = new RuntimeException("Spark gave up");
        Future<List<SegmentResult>> run = pool.submit(() -> runAll(new SegmentOrder(0, 0, 1, state(3))));
        w0.get();
        w1.get();
        steering.stageEnded(0, cause);
        var e = assertThrows(java.util.concurrent.ExecutionException.class, run::get);
        assertTrue(e.getCause() instanceof Steering.StageFailed, String.valueOf(e.getCause()));
        assertSame(cause, e.getCause().getCause());
    }

    @Test
    void aNewStageTakesOverFromAFailedOne() throws Exception {
        steering.expectStage(0);
        worker(0, 0, 0, 0);
        worker(0, 0, 1, 0);
        Future<List<SegmentResult>> run = pool.submit(() -> runAll(new SegmentOrder(2, 0, 3, state(4))));
        steering.stageEnded(0, new RuntimeException("stage 0 failed"));
        assertThrows(java.util.concurrent.ExecutionException.class, run::get);
        steering.expectStage(1);
        // A straggler of the old stage is turned away; the new stage's workers get the order.
        Future<List<SegmentOrder>> late = worker(0, 3, 0, 99);
        Future<List<SegmentOrder>> s1w0 = worker(1, 0, 0, 99), s1w1 = worker(1, 0, 1, 99);
        List<SegmentResult> results = runAll(new SegmentOrder(2, 0, 3, state(4)));
        assertEquals(3, results.get(1).steps());
        assertThrows(java.util.concurrent.ExecutionException.class, late::get, "the old stage's task was refused");
        finishStage(1, s1w0, s1w1);
        assertEquals(1, s1w0.get().size());
        assertEquals(1, s1w1.get().size());
    }

    @Test
    void aResultTheDriverCannotTakeEndsTheRunNamingTheWorker() throws Exception {
        steering.expectStage(0);
        worker(0, 0, 0, 99);
        // Worker 1 reports under worker 0's number: not a failure a retry would mend.
        pool.submit(() -> {
            try (DriverLink link = DriverLink.connect("127.0.0.1", steering.port(), TOKEN, 0, 0, 1, 2, NO_KILL)) {
                link.register("w1a0");
                link.report(result(0, 0, link.nextOrder()));
                return link.nextOrder();
            }
        });
        var e = assertThrows(IllegalStateException.class, () -> runAll(new SegmentOrder(0, 0, 2, state(6))));
        assertEquals("SparkTrainer: the driver cannot read worker 1's result: worker 1 reported as worker 0",
                e.getMessage());
    }

    @Test
    void aConnectionWithoutTheRunsSecretIsTurnedAway() throws Exception {
        steering.expectStage(0);
        try (Socket stranger = new Socket()) {
            stranger.connect(new InetSocketAddress("127.0.0.1", steering.port()));
            DataOutputStream out = new DataOutputStream(stranger.getOutputStream());
            out.writeLong(TOKEN + 1);   // the rest of a registration would follow, but the secret is checked first
            out.flush();
            stranger.setSoTimeout(10_000);
            assertEquals(-1, stranger.getInputStream().read(), "the driver closed the connection");
        }
        // The run's own workers are not disturbed by it.
        Future<List<SegmentOrder>> w0 = worker(0, 0, 0, 99), w1 = worker(0, 0, 1, 99);
        assertEquals(2, runAll(new SegmentOrder(0, 0, 2, state(5))).size());
        finishStage(0, w0, w1);
    }

    @Test
    void framesAreNotTrusted() throws Exception {
        // A frame naming a class outside Frelon's is refused before the class is built.
        byte[] list = Frames.encode(new ArrayList<>(List.of("x")));
        var e = assertThrows(IOException.class, () -> Frames.decode(list, SegmentResult.class));
        assertTrue(e.getMessage().contains("may not carry"), e.getMessage());
        // A Frelon object of another type than expected is refused by name.
        byte[] order = Frames.encode(new SegmentOrder(0, 0, 1, null));
        e = assertThrows(IOException.class, () -> Frames.decode(order, SegmentResult.class));
        assertTrue(e.getMessage().contains("expected a SegmentResult, got a dev.frelon.spark.SegmentOrder"), e.getMessage());
        // Bytes that are no serialization at all, and a negative length, are errors too.
        assertThrows(IOException.class, () -> Frames.decode(new byte[]{1, 2, 3}, SegmentOrder.class));
        try (var server = new java.net.ServerSocket(0); Socket client = new Socket("127.0.0.1", server.getLocalPort());
             Socket accepted = server.accept()) {
            new DataOutputStream(client.getOutputStream()).writeInt(-5);
            InputStream in = accepted.getInputStream();
            e = assertThrows(IOException.class, () -> Frames.read(accepted, in, NO_KILL, 10_000));
            assertTrue(e.getMessage().contains("-5 bytes"), e.getMessage());
        }
    }

    /**
     * The driver's readers have no kill check: they block instead of polling, read a frame that comes after several
     * poll intervals, and give up when their patience runs out with no byte.
     */
    @Test
    void aReadWithoutAKillCheckBlocksUntilItsFrameOrItsPatienceRunsOut() throws Exception {
        try (var server = new java.net.ServerSocket(0); Socket client = new Socket("127.0.0.1", server.getLocalPort());
             Socket accepted = server.accept()) {
            byte[] payload = Frames.encode("late");
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(3 * PatientIo.POLL_MILLIS);
                    Frames.write(new DataOutputStream(client.getOutputStream()), payload);
                } catch (IOException | InterruptedException ex) {
                    throw new IllegalStateException(ex);
                }
            });
            InputStream in = accepted.getInputStream();
            assertEquals("late", Frames.decode(Frames.read(accepted, in, null, Long.MAX_VALUE), String.class));
            writer.join();
            var e = assertThrows(java.net.SocketTimeoutException.class, () -> Frames.read(accepted, in, null, 1_000));
            assertEquals("no data for 1 s", e.getMessage());
            // no patience at all gives up after a millisecond rather than setting a socket timeout of 0 (forever)
            assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () ->
                    assertThrows(java.net.SocketTimeoutException.class, () -> Frames.read(accepted, in, null, 0)));
        }
    }
}
