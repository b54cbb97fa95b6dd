package dev.frelon.core.kernel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The one shared pool that runs Frelon's parallel work. Created lazily, of named daemon threads
 * ({@code frelon-worker-N}), sized by {@link #setThreads(int)}, by the system property {@code frelon.threads},
 * or by default to the number of available processors. Work submitted from inside a worker runs inline, so
 * kernels may nest parallel loops without deadlock or oversubscription; a loop started by a second
 * application thread while the pool is busy also runs inline. Workers spin for a fraction of a millisecond
 * after each chunk before parking (as OpenMP runtimes do), so that the many short loops of a training step do
 * not each pay a thread wake-up; a loop allocates one small bookkeeping object and nothing else.
 */
public final class Parallel {

    /** A body run over one half-open range {@code [from, to)} of a parallel loop. */
    @FunctionalInterface
    public interface RangeBody {
        /**
         * Processes the indices {@code from} to {@code to - 1}; chunks of one loop may run concurrently on
         * different threads, so a body writes only to its own range of any shared output.
         *
         * @param from first index, inclusive
         * @param to last index, exclusive
         */
        void run(int from, int to);
    }

    private static final Object LOCK = new Object();
    /** How long an idle worker (and a waiting caller) spins before parking: back-to-back loops skip the wake-up. */
    private static final long SPIN_NANOS = 200_000;
    private static volatile int threads = initialThreads();
    private static volatile Worker[] workers = new Worker[0];
    /** Held while a loop runs on the pool; a second caller meanwhile (another application thread) runs inline. */
    private static final AtomicBoolean BUSY = new AtomicBoolean();

    private Parallel() {
    }

    private static int initialThreads() {
        String p = System.getProperty("frelon.threads");
        int n = Runtime.getRuntime().availableProcessors();
        if (p != null && !p.isBlank()) {
            try {
                n = Integer.parseInt(p.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("frelon.threads must be a positive integer, got '" + p + "'");
            }
            if (n < 1) {
                throw new IllegalArgumentException("frelon.threads must be a positive integer, got " + n);
            }
        }
        return n;
    }

    /**
     * The current thread count, as set by {@link #setThreads(int)}, {@code frelon.threads} or the processor count.
     *
     * @return the number of threads parallel loops use (the caller's thread included)
     */
    public static int threads() {
        return threads;
    }

    /**
     * Sets the number of threads parallel loops use, the caller's thread included; 1 runs everything inline.
     *
     * @param n at least 1
     */
    public static void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("Parallel.setThreads: thread count must be >= 1, got " + n);
        }
        threads = n;
    }

    /**
     * Runs {@code body} over {@code [start, end)}, split into at most {@link #threads()} contiguous chunks of
     * at least {@code grain} indices each. The chunks depend only on the range, the grain and the thread count:
     * when the pool cannot take them (called from a worker, or while another application thread holds the pool)
     * they run one after another on the calling thread, never as one merged range. Kernels choose their blocking,
     * and so their order of additions, from the range they are given, so results have the same bits either way.
     * Exceptions thrown by a chunk are rethrown here.
     *
     * @param start first index
     * @param end last index, exclusive
     * @param grain the smallest chunk worth a thread
     * @param body the work
     */
    public static void forRange(int start, int end, int grain, RangeBody body) {
        int n = end - start;
        int t = threads;
        int chunks = Math.min(t, Math.max(1, n / Math.max(1, grain)));
        if (chunks <= 1 || Thread.currentThread() instanceof Worker || !BUSY.compareAndSet(false, true)) {
            for (int c = 0; c < chunks; c++) {
                int lo = start + (int) ((long) n * c / chunks), hi = start + (int) ((long) n * (c + 1) / chunks);
                if (hi > lo) {
                    body.run(lo, hi);
                }
            }
            return;
        }
        try {
            Worker[] pool = pool(chunks - 1);
            Region region = new Region(chunks - 1, Thread.currentThread());
            for (int c = 1; c < chunks; c++) {
                int lo = start + (int) ((long) n * c / chunks);
                int hi = start + (int) ((long) n * (c + 1) / chunks);
                pool[c - 1].submit(region, body, lo, hi);
            }
            Throwable failure = null;
            try {
                body.run(start, start + n / chunks);
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            region.await();
            if (failure == null && region.failure != null) {
                failure = region.failure instanceof RuntimeException ? region.failure
                        : new IllegalStateException("a parallel chunk failed: " + region.failure, region.failure);
            }
            if (failure instanceof RuntimeException r) {
                throw r;
            }
            if (failure instanceof Error e) {
                throw e;
            }
        } finally {
            BUSY.set(false);
        }
    }

    private static Worker[] pool(int needed) {
        Worker[] w = workers;
        if (w.length >= needed) {
            return w;
        }
        synchronized (LOCK) {
            w = workers;
            if (w.length < needed) {
                Worker[] grown = java.util.Arrays.copyOf(w, needed);
                for (int i = w.length; i < needed; i++) {
                    grown[i] = new Worker("frelon-worker-" + (i + 1));
                    grown[i].start();
                }
                workers = grown;
                w = grown;
            }
            return w;
        }
    }

    /** One parallel loop in flight: how many worker chunks remain, the first failure, the waiting caller. */
    private static final class Region {
        final AtomicInteger remaining;
        final Thread caller;
        volatile Throwable failure;
        volatile boolean callerParked;

        Region(int chunks, Thread caller) {
            this.remaining = new AtomicInteger(chunks);
            this.caller = caller;
        }

        void done(Throwable t) {
            if (t != null && failure == null) {
                failure = t;
            }
            if (remaining.decrementAndGet() == 0 && callerParked) {
                LockSupport.unpark(caller);
            }
        }

        /** Spins briefly (chunks are usually balanced), then parks until the last worker chunk is done. */
        void await() {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (remaining.get() > 0 && System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            }
            if (remaining.get() > 0) {
                callerParked = true;
                while (remaining.get() > 0) {
                    LockSupport.park(this);
                }
                callerParked = false;
            }
        }
    }

    /**
     * A pool thread: runs the chunks handed to it one at a time; between chunks it spins for a while
     * ({@link #SPIN_NANOS}) before parking, so that the many short loops of a training step do not each pay a
     * thread wake-up. Marked so that nested parallel loops run inline.
     */
    private static final class Worker extends Thread {
        private volatile Region region;
        private RangeBody body;
        private int lo, hi;
        private volatile boolean parked;

        Worker(String name) {
            super(name);
            setDaemon(true);
        }

        void submit(Region r, RangeBody b, int from, int to) {
            body = b;
            lo = from;
            hi = to;
            region = r; // volatile write publishes body, lo and hi
            if (parked) {
                LockSupport.unpark(this);
            }
        }

        @Override
        public void run() {
            while (true) {
                Region r = region;
                if (r == null) {
                    long spinUntil = System.nanoTime() + SPIN_NANOS;
                    while ((r = region) == null && System.nanoTime() < spinUntil) {
                        Thread.onSpinWait();
                    }
                    if (r == null) {
                        parked = true;
                        while ((r = region) == null) {
                            LockSupport.park(this);
                        }
                        parked = false;
                    }
                }
                Throwable failure = null;
                try {
                    body.run(lo, hi);
                } catch (Throwable e) {
                    failure = e;
                }
                body = null;
                region = null;
                r.done(failure);
            }
        }
    }
}
