package dev.frelon.train.data;

import dev.frelon.core.Rng;

import java.lang.ref.Cleaner;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Cuts a {@link Dataset} into mini-batches, optionally in a seeded random order, and loads the next batches on
 * a background thread while the current one is being used.
 *
 * <p><b>Epochs and order.</b> Each call to {@link #iterator()} starts the next epoch (0, 1, 2, ...) and
 * {@link #iterator(int)} starts a given one. With shuffling on, the order of epoch {@code e} is a random
 * permutation drawn from an {@link Rng} seeded by a mix of the loader's seed and {@code e}: the same seed
 * gives the same sequence of epochs on every run and machine, and different epochs give different orders.
 * Without shuffling the order is {@code 0, 1, ..., N-1} in every epoch.
 *
 * <p><b>Prefetch.</b> With {@code prefetch > 0} (the default is 2), each iterator starts one daemon thread that
 * gathers batches into a queue holding at most {@code prefetch} of them, so loading overlaps training. An
 * exception thrown while loading is rethrown to the consumer by {@code hasNext()}/{@code next()} (unchecked
 * exceptions keep their type; a note naming the batch is added as a suppressed exception). The thread ends
 * when the epoch is done, when the iterator is {@linkplain BatchIterator#close() closed}, or, for an iterator
 * abandoned early without closing, when the iterator is garbage-collected: a blocked loader thread is never
 * left behind for good. Leaving a loop early is cleanest with try-with-resources:
 * <pre>{@code
 * try (DataLoader.BatchIterator it = loader.iterator()) {
 *     while (it.hasNext()) { Batch b = it.next(); if (done) break; }
 * }
 * }</pre>
 * With {@code prefetch = 0} batches are gathered on the consumer's thread, inside {@code next()}.
 *
 * <p>Batches come from {@link Dataset#gather}; for a {@link TensorDataset} (or a {@link Subset} of one) that
 * is a straight copy of rows of the contiguous feature array. The loader itself may be iterated from several
 * threads, but each iterator belongs to one consumer thread.
 */
public final class DataLoader implements Iterable<Batch> {
    /** The largest allowed prefetch depth. */
    public static final int MAX_PREFETCH = 16;

    private static final Cleaner CLEANER = Cleaner.create();
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private final int prefetch;
    private final AtomicInteger nextEpoch = new AtomicInteger();

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.dropLast = b.dropLast;
        this.prefetch = b.prefetch;
    }

    /**
     * Starts configuring a loader over {@code dataset}.
     *
     * @param dataset the dataset to load from, not null
     * @return a builder with batch size 32, no shuffling, the last partial batch kept and prefetch depth 2
     * @throws NullPointerException when {@code dataset} is null
     */
    public static Builder builder(Dataset dataset) {
        return new Builder(dataset);
    }

    /**
     * The dataset this loader cuts into batches, through its {@link Dataset#gather}.
     *
     * @return the dataset batches are drawn from
     */
    public Dataset dataset() {
        return dataset;
    }

    /**
     * The batch size B, the leading size of every full batch.
     *
     * @return the number of examples per batch (the last batch may be smaller unless {@link #dropLast()})
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Whether the loader shuffles, as set by {@link Builder#shuffle(long)} or {@link Builder#noShuffle()}.
     *
     * @return true when each epoch visits the examples in a seeded random order
     */
    public boolean shuffles() {
        return shuffle;
    }

    /**
     * Whether an epoch leaves out its last {@code N mod B} examples instead of handing them out as a smaller
     * batch.
     *
     * @return true when a last, smaller batch is dropped
     */
    public boolean dropLast() {
        return dropLast;
    }

    /**
     * The prefetch depth: the capacity of each iterator's queue of loaded batches.
     *
     * @return how many batches the loader keeps ready ahead of the consumer (0: none, no thread)
     */
    public int prefetch() {
        return prefetch;
    }

    /**
     * The number of batches in one epoch: {@code ⌊N/B⌋} with drop-last, {@code ⌈N/B⌉} otherwise, for N
     * examples in batches of B.
     *
     * @return the number of batches in one epoch
     */
    public int numBatches() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (int) (((long) n + batchSize - 1) / batchSize);
    }

    /**
     * The epoch counter: how many times {@link #iterator()} was called (calls of {@link #iterator(int)} do not
     * count).
     *
     * @return the epoch the next call to {@link #iterator()} will start
     */
    public int nextEpoch() {
        return nextEpoch.get();
    }

    /**
     * The order in which an epoch visits the examples.
     *
     * @param epoch the epoch, at least 0
     * @return a permutation of {@code 0 .. N-1} (the identity without shuffling)
     */
    public int[] order(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("DataLoader.order: epoch must be at least 0, got " + epoch);
        }
        int n = dataset.size();
        if (!shuffle) {
            int[] p = new int[n];
            for (int i = 0; i < n; i++) {
                p[i] = i;
            }
            return p;
        }
        return new Rng(mix(seed, epoch)).permutation(n);
    }

    /** SplitMix64's finalizer over the seed and the epoch, so nearby seeds and epochs give unrelated streams. */
    static long mix(long seed, int epoch) {
        long z = seed + 0x9E3779B97F4A7C15L * (epoch + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Starts the next epoch.
     *
     * @return an iterator over the batches of that epoch
     */
    @Override
    public BatchIterator iterator() {
        return iterator(nextEpoch.getAndIncrement());
    }

    /**
     * Starts a given epoch (without moving the counter that {@link #iterator()} uses).
     *
     * @param epoch the epoch, at least 0; it selects the shuffled order
     * @return an iterator over the batches of that epoch
     */
    public BatchIterator iterator(int epoch) {
        return new BatchIterator(this, epoch, order(epoch));
    }

    @Override
    public String toString() {
        return "DataLoader[" + dataset.size() + " examples, batch " + batchSize + ", " + numBatches()
                + " batches, " + (shuffle ? "shuffled (seed " + seed + ")" : "in order")
                + (dropLast ? ", drop last" : "") + ", prefetch " + prefetch + "]";
    }

    /** Configures a {@link DataLoader}. */
    public static final class Builder {
        private final Dataset dataset;
        private int batchSize = 32;
        private boolean shuffle;
        private long seed;
        private boolean dropLast;
        private int prefetch = 2;

        private Builder(Dataset dataset) {
            this.dataset = Objects.requireNonNull(dataset, "DataLoader.builder: dataset is null");
        }

        /**
         * Sets how many examples each batch holds (32 by default).
         *
         * @param batchSize examples per batch, at least 1
         * @return this builder
         * @throws IllegalArgumentException when {@code batchSize} is less than 1
         */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("DataLoader: batch size must be at least 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Visits the examples in a new seeded random order in every epoch.
         *
         * @param seed the seed; equal seeds give equal orders
         * @return this builder
         */
        public Builder shuffle(long seed) {
            this.shuffle = true;
            this.seed = seed;
            return this;
        }

        /**
         * Visits the examples in index order (the default).
         *
         * @return this builder
         */
        public Builder noShuffle() {
            this.shuffle = false;
            return this;
        }

        /**
         * Chooses whether an epoch that does not divide evenly ends with a smaller batch (the default) or drops
         * those examples, as PyTorch's {@code drop_last}.
         *
         * @param dropLast true to drop a last batch smaller than the batch size
         * @return this builder
         */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /**
         * Sets the prefetch depth (2 by default).
         *
         * @param prefetch how many batches to load ahead on a background thread, 0 to {@link #MAX_PREFETCH};
         *     0 loads on the consumer's thread
         * @return this builder
         * @throws IllegalArgumentException when {@code prefetch} is outside [0, {@link #MAX_PREFETCH}]
         */
        public Builder prefetch(int prefetch) {
            if (prefetch < 0 || prefetch > MAX_PREFETCH) {
                throw new IllegalArgumentException("DataLoader: prefetch must be in [0, " + MAX_PREFETCH
                        + "], got " + prefetch);
            }
            this.prefetch = prefetch;
            return this;
        }

        /**
         * Creates a loader with the settings so far; its epoch counter starts at 0.
         *
         * @return the loader
         */
        public DataLoader build() {
            return new DataLoader(this);
        }
    }

    /** Marks the end of an epoch in the queue. */
    private static final Object END = new Object();

    /** A loading failure travelling through the queue. */
    private record Failure(Throwable error, int batch) {
    }

    /**
     * The loading side of one iterator. It holds no reference to the {@link BatchIterator}, so an abandoned
     * iterator can be collected and its {@link Cleaner} action can stop this thread.
     */
    private static final class Prefetcher implements Runnable {
        final Dataset dataset;
        final int[] order;
        final int batchSize;
        final int numBatches;
        final BlockingQueue<Object> queue;
        volatile boolean cancelled;
        volatile Thread thread;

        Prefetcher(Dataset dataset, int[] order, int batchSize, int numBatches, int depth) {
            this.dataset = dataset;
            this.order = order;
            this.batchSize = batchSize;
            this.numBatches = numBatches;
            this.queue = new ArrayBlockingQueue<>(depth);
        }

        @Override
        public void run() {
            int b = 0;
            try {
                for (; b < numBatches && !cancelled; b++) {
                    queue.put(load(dataset, order, batchSize, b));
                }
                if (!cancelled) {
                    queue.put(END);
                }
            } catch (InterruptedException e) {
                // cancelled: the consumer is gone
            } catch (Throwable t) {
                try {
                    queue.put(new Failure(t, b));
                } catch (InterruptedException e) {
                    // cancelled
                }
            }
        }

        void cancel() {
            cancelled = true;
            Thread t = thread;
            if (t != null) {
                t.interrupt();
            }
            queue.clear();
        }
    }

    static Batch load(Dataset dataset, int[] order, int batchSize, int b) {
        int from = b * batchSize;
        int to = Math.min(order.length, from + batchSize);
        int[] idx = new int[to - from];
        System.arraycopy(order, from, idx, 0, idx.length);
        return dataset.gather(idx);
    }

    /**
     * The batches of one epoch. Closing it (or exhausting it) stops its loader thread; closing is idempotent.
     */
    public static final class BatchIterator implements Iterator<Batch>, AutoCloseable {
        private final Dataset dataset;
        private final int[] order;
        private final int batchSize;
        private final int numBatches;
        private final int epoch;
        private final Prefetcher prefetcher;
        private final Cleaner.Cleanable cleanable;
        private Object pending;
        private int delivered;
        private boolean done;

        private BatchIterator(DataLoader loader, int epoch, int[] order) {
            this.dataset = loader.dataset;
            this.order = order;
            this.batchSize = loader.batchSize;
            this.numBatches = loader.numBatches();
            this.epoch = epoch;
            if (loader.prefetch > 0 && numBatches > 0) {
                Prefetcher p = new Prefetcher(dataset, order, batchSize, numBatches, loader.prefetch);
                Thread t = new Thread(p, "frelon-dataloader-" + THREAD_IDS.incrementAndGet() + "-epoch-" + epoch);
                t.setDaemon(true);
                p.thread = t;
                this.prefetcher = p;
                this.cleanable = CLEANER.register(this, cancelAction(p));
                t.start();
            } else {
                this.prefetcher = null;
                this.cleanable = null;
            }
        }

        /** Built in a static method so the action cannot capture the iterator. */
        private static Runnable cancelAction(Prefetcher p) {
            return p::cancel;
        }

        /**
         * The epoch whose order this iterator follows.
         *
         * @return the epoch this iterator walks through
         */
        public int epoch() {
            return epoch;
        }

        /**
         * How far the iteration got: the number of successful {@link #next()} calls.
         *
         * @return the number of batches handed out so far
         */
        public int delivered() {
            return delivered;
        }

        /** @return the loader thread, or null without prefetch (for tests) */
        Thread loaderThread() {
            return prefetcher == null ? null : prefetcher.thread;
        }

        @Override
        public boolean hasNext() {
            if (done) {
                return false;
            }
            if (delivered >= numBatches) {
                close();
                return false;
            }
            if (prefetcher == null) {
                return true;
            }
            if (pending == null) {
                try {
                    pending = prefetcher.queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    close();
                    throw new IllegalStateException("DataLoader: interrupted while waiting for batch " + delivered
                            + " of epoch " + epoch, e);
                }
            }
            if (pending == END) {
                close();
                return false;
            }
            if (pending instanceof Failure f) {
                close();
                throw rethrow(f);
            }
            return true;
        }

        private RuntimeException rethrow(Failure f) {
            Throwable t = f.error();
            String where = "DataLoader: loading batch " + f.batch() + " of epoch " + epoch + " failed on thread "
                    + prefetcher.thread.getName() + "; rethrown on thread " + Thread.currentThread().getName();
            if (t instanceof RuntimeException re) {
                re.addSuppressed(new Exception(where));
                return re;
            }
            if (t instanceof Error err) {
                err.addSuppressed(new Exception(where));
                throw err;
            }
            return new IllegalStateException(where, t);
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("DataLoader: epoch " + epoch + " has no more batches (all "
                        + numBatches + " delivered)");
            }
            Batch b;
            if (prefetcher == null) {
                b = load(dataset, order, batchSize, delivered);
            } else {
                b = (Batch) pending;
                pending = null;
            }
            delivered++;
            return b;
        }

        /** Stops the loader thread (if any) and ends the iteration. */
        @Override
        public void close() {
            done = true;
            pending = null;
            if (cleanable != null) {
                cleanable.clean();
            }
        }
    }
}
