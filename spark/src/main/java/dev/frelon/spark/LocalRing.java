package dev.frelon.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The ring between barrier tasks that run in one JVM: Spark's local mode, or an executor with several cores. Its
 * all-reduce ({@link #allReduce}) sums through shared memory, with no copy of any vector; its links also carry
 * messages, each a copy of the values put on a queue that the next task takes from. Nothing goes through the
 * kernel's network stack.
 *
 * <p>The tasks of one stage attempt find each other through a JVM-wide table keyed by the run's secret, the stage
 * and the attempt; the last task to leave removes the entry. Waits wake every {@link PatientIo#POLL_MILLIS} ms to run
 * Spark's kill check, and a task that aborts marks the ring, so that its neighbours fail within one poll, naming its
 * failure.
 */
final class LocalRing implements Ring {

    /** A value that differs between any two JVMs: tasks whose addresses carry the same one share this table. */
    static final String JVM_ID = ProcessHandle.current().pid() + "-" + Long.toHexString(new java.security.SecureRandom().nextLong());

    private static final ConcurrentHashMap<String, Wires> GROUPS = new ConcurrentHashMap<>();

    /** How long a worker spins at a meeting point of the sum before it parks. */
    private static final long SPIN_NANOS = 200_000;

    /** A message: the first {@code length} values of a buffer that goes back to the sender once read. */
    private record Message(float[] values, int length) {
    }

    /** One stage attempt's queues: wire w carries worker w's sends to worker w + 1. */
    static final class Wires {
        private final List<BlockingQueue<Message>> wires = new ArrayList<>();
        /** Per wire, the buffers its receiver has copied out, for the sender to fill again instead of allocating. */
        private final List<BlockingQueue<float[]>> spares = new ArrayList<>();
        private int members;
        private volatile boolean aborted;
        /** The failure of the worker that aborted, when it gave one: "worker w: exception". */
        private volatile String abortCause;
        /** The shared-memory sum's two meeting points per call (see {@link SharedSum}). */
        private final Phaser phaser;
        /** Each worker's vector for the current call, offered by reference: the sum is written into all of them. */
        private final SplitVector[] offered;

        Wires(int workers) {
            for (int w = 0; w < workers; w++) {
                wires.add(new LinkedBlockingQueue<>());
                spares.add(new LinkedBlockingQueue<>());
            }
            phaser = new Phaser(workers);
            offered = new SplitVector[workers];
        }

        /** Worker {@code worker}'s side of these wires. */
        LocalRing link(int worker, Runnable killCheck) {
            return new LocalRing(this, null, worker, killCheck);
        }
    }

    private final Wires group;
    private final String key;
    private final int worker;
    private final Runnable killCheck;
    private boolean left;

    private LocalRing(Wires group, String key, int worker, Runnable killCheck) {
        this.group = group;
        this.key = key;
        this.worker = worker;
        this.killCheck = killCheck;
    }

    /**
     * Joins the ring of one stage attempt: every task of it must call this once, with the same key.
     *
     * @param key the run's secret, the stage and the attempt
     * @param worker this task's worker number
     * @param workers the number of tasks
     * @param killCheck Spark's kill check, run while waiting
     * @return this task's links
     */
    static LocalRing join(String key, int worker, int workers, Runnable killCheck) {
        Wires group = GROUPS.computeIfAbsent(key, k -> new Wires(workers));
        synchronized (group) {
            group.members++;
        }
        return new LocalRing(group, key, worker, killCheck);
    }

    /** The number of stage attempts whose tasks have joined and not all left, for tests of the clean-up. */
    static int openGroups() {
        return GROUPS.size();
    }

    /** Whether every address names this JVM, so that the tasks can use a {@link LocalRing}. */
    static boolean allHere(String[] addresses) {
        return Arrays.stream(addresses).allMatch(a -> a.endsWith("@" + JVM_ID));
    }

    @Override
    public void send(float[] values, int from, int to) {
        // The values must be copied (the caller goes on changing them); a spare of the right length saves the
        // allocation and its zeroing, which a model of a million parameters would pay twice a step.
        float[] buffer = group.spares.get(worker).poll();
        if (buffer == null || buffer.length < to - from) {
            buffer = new float[to - from];
        }
        System.arraycopy(values, from, buffer, 0, to - from);
        group.wires.get(worker).add(new Message(buffer, to - from));
    }

    @Override
    public void receive(float[] into, int from, int to) {
        BlockingQueue<Message> wire = group.wires.get(Math.floorMod(worker - 1, group.wires.size()));
        long deadline = System.nanoTime() + SocketRing.TIMEOUT_MILLIS * 1_000_000L;
        try {
            Message m;
            while ((m = wire.poll(PatientIo.POLL_MILLIS, TimeUnit.MILLISECONDS)) == null) {
                if (group.aborted) {
                    throw new IllegalStateException("ring: a worker of this stage failed (in-JVM ring, worker "
                            + worker + " waiting)" + causeText());
                }
                killCheck.run();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("ring: no values from the previous worker for "
                            + SocketRing.TIMEOUT_MILLIS / 1000 + " s");
                }
            }
            if (m.length() != to - from) {
                throw new IllegalStateException("ring: expected " + (to - from) + " values from the previous worker, got "
                        + m.length());
            }
            System.arraycopy(m.values(), 0, into, from, m.length());
            group.spares.get(Math.floorMod(worker - 1, group.wires.size())).offer(m.values());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("ring: interrupted while receiving", e);
        }
    }

    /**
     * The all-reduce through memory: the same sums as {@link RingAllReduce}'s, in the same order, without a copy of
     * any vector. See {@link SharedSum}.
     */
    @Override
    public AllReduce allReduce(int worker, int workers) {
        if (workers != group.offered.length || worker != this.worker) {
            throw new IllegalArgumentException("ring: worker " + worker + " of " + workers + " asked for the sum of a"
                    + " ring joined as worker " + this.worker + " of " + group.offered.length);
        }
        return new SharedSum();
    }

    /**
     * The sum through memory. Each call, every worker offers its vector by reference and waits for the others; then
     * worker w sums chunk w (the ring's chunks) of all the vectors, starting from worker w's values and going round
     * the ring as {@link RingAllReduce} does, so the bits are the ring's, and writes the total into every worker's
     * vector; and waits again. Per worker and call it reads and writes 1/N of each of the N vectors, where they lie:
     * a model's gradients are summed in their own arrays, with no copy to gather them or to hand the sum back.
     */
    private final class SharedSum implements AllReduce {

        /**
         * Elements of a chunk summed at a time: the block of the summing worker's vector stays in its core's
         * first-level cache while the other vectors are added into it and it is copied to them.
         */
        private static final int BLOCK = 2048;

        @Override
        public void sumInPlace(float[] values) {
            sumInPlace(SplitVector.of(values));
        }

        @Override
        public void sumInPlace(SplitVector values) {
            int n = group.offered.length;
            if (n == 1) {
                return;
            }
            group.offered[worker] = values;
            meet();
            for (int w = 0; w < n; w++) {
                SplitVector other = group.offered[w];
                if (other.length() != values.length()) {
                    throw new IllegalStateException("ring: worker " + w + " offered " + other.length()
                            + " values to the sum, worker " + worker + " " + values.length());
                }
                if (!other.sameLayout(values)) {
                    throw new IllegalStateException("ring: worker " + w + " offered pieces of "
                            + Arrays.toString(other.lengths()) + " values to the sum, worker " + worker + " "
                            + Arrays.toString(values.lengths()));
                }
            }
            long length = values.length();
            int lo = (int) (length * worker / n), hi = (int) (length * (worker + 1) / n);
            for (int p = 0; p < values.pieces(); p++) {
                int start = values.start(p);
                int from = Math.max(lo, start), to = Math.min(hi, start + values.length(p));
                if (from < to) {
                    sumPiece(p, from - start, to - start, n);
                }
            }
            meet();
        }

        /**
         * Sums elements {@code [from, to)} of piece p over the workers into this worker's piece, then copies them
         * into the other workers' pieces.
         */
        private void sumPiece(int p, int from, int to, int n) {
            float[] own = group.offered[worker].piece(p);
            for (int block = from; block < to; block += BLOCK) {
                int end = Math.min(to, block + BLOCK);
                for (int k = 1; k < n; k++) {
                    float[] next = group.offered[(worker + k) % n].piece(p);
                    for (int i = block; i < end; i++) {
                        own[i] += next[i];
                    }
                }
                for (int k = 1; k < n; k++) {
                    System.arraycopy(own, block, group.offered[(worker + k) % n].piece(p), block, end - block);
                }
            }
        }

        /** Waits until every worker of the group has arrived here, running Spark's kill check while it waits. */
        private void meet() {
            int phase = group.phaser.arrive();
            // Spin a while before sleeping: the workers arrive within a fraction of a millisecond of each other, and
            // waking a parked thread takes tens of microseconds (more on a virtual machine, whose idle virtual CPU
            // the host must wake), twice a step.
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (group.phaser.getPhase() == phase && !group.aborted && System.nanoTime() - spinUntil < 0) {
                Thread.onSpinWait();
            }
            int now = group.phaser.getPhase();
            if (now != phase) {   // everyone arrived, or an abort terminated the phaser (a negative phase)
                if (now < 0 || group.aborted) {
                    throw neighbourFailed();
                }
                return;
            }
            long deadline = System.nanoTime() + SocketRing.TIMEOUT_MILLIS * 1_000_000L;
            while (true) {
                try {
                    if (group.phaser.awaitAdvanceInterruptibly(phase, PatientIo.POLL_MILLIS, TimeUnit.MILLISECONDS) < 0
                            || group.aborted) {
                        throw neighbourFailed();
                    }
                    return;
                } catch (TimeoutException e) {
                    if (group.aborted) {
                        throw neighbourFailed();
                    }
                    killCheck.run();
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("ring: the other workers did not reach the sum for "
                                + SocketRing.TIMEOUT_MILLIS / 1000 + " s");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("ring: interrupted while summing", e);
                }
            }
        }
    }

    /**
     * The error of a worker whose neighbour aborted, raised one poll later: Spark kills the stage's other tasks when
     * one fails, and a kill that arrives meanwhile ends this task through the kill check instead, so that the job
     * reports the neighbour's exception (the cause) rather than this consequence, as the queues' polls did.
     */
    private IllegalStateException neighbourFailed() {
        try {
            Thread.sleep(PatientIo.POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        killCheck.run();
        return new IllegalStateException("ring: a worker of this stage failed (in-JVM sum, worker " + worker
                + " waiting)" + causeText());
    }

    /** ": worker w failed with exception" when the worker that aborted gave its failure, else nothing. */
    private String causeText() {
        String cause = group.abortCause;
        return cause == null ? "" : ": " + cause;
    }

    @Override
    public void abort(Throwable cause) {
        group.abortCause = "worker " + worker + " failed with " + cause;
        abort();
    }

    @Override
    public void abort() {
        group.aborted = true;
        group.phaser.forceTermination();
        close();
    }

    @Override
    public void close() {
        if (left || key == null) {
            return;
        }
        left = true;
        synchronized (group) {
            if (--group.members == 0) {
                GROUPS.remove(key, group);
            }
        }
    }
}
