package dev.frelon.core.kernel;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one shared pool that runs Frelon's parallel work. Created lazily, of named daemon threads
 * ({@code frelon-worker-N}), sized by {@link #setThreads(int)}, by the system property {@code frelon.threads},
 * or by default to the number of available processors. Work submitted from inside a worker runs inline, so
 * kernels may nest parallel loops without deadlock or oversubscription.
 */
public final class Parallel {

    /** A body run over one half-open range {@code [from, to)} of a parallel loop. */
    @FunctionalInterface
    public interface RangeBody {
        /**
         * @param from first index, inclusive
         * @param to last index, exclusive
         */
        void run(int from, int to);
    }

    private static final Object LOCK = new Object();
    private static volatile int threads = initialThreads();
    private static ExecutorService pool;
    private static int poolSize;

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

    /** @return the number of threads parallel loops use (the caller's thread included) */
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
     * at least {@code grain} indices each. Runs inline when one chunk suffices or when called from a worker.
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
        if (chunks <= 1 || Thread.currentThread() instanceof Worker) {
            if (n > 0) {
                body.run(start, end);
            }
            return;
        }
        ExecutorService ex = pool(t);
        @SuppressWarnings("unchecked")
        Future<?>[] futures = new Future<?>[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            int lo = start + (int) ((long) n * c / chunks);
            int hi = start + (int) ((long) n * (c + 1) / chunks);
            futures[c - 1] = ex.submit(() -> body.run(lo, hi));
        }
        RuntimeException failure = null;
        try {
            body.run(start, start + n / chunks);
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for parallel work", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static ExecutorService pool(int t) {
        synchronized (LOCK) {
            if (pool == null || poolSize < t - 1) {
                if (pool != null) {
                    pool.shutdown();
                }
                AtomicInteger id = new AtomicInteger();
                pool = Executors.newFixedThreadPool(t - 1, r -> {
                    Worker w = new Worker(r, "frelon-worker-" + id.incrementAndGet());
                    w.setDaemon(true);
                    return w;
                });
                poolSize = t - 1;
            }
            return pool;
        }
    }

    /** Marks the pool's threads so that nested parallel loops run inline. */
    private static final class Worker extends Thread {
        Worker(Runnable r, String name) {
            super(r, name);
        }
    }
}
