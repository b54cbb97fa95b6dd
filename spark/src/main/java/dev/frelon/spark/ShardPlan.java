package dev.frelon.spark;

import dev.frelon.core.Rng;

import java.io.Serializable;

/**
 * Which examples each worker trains on at each step: the data-parallel schedule, the same on every machine.
 *
 * <p>Example {@code i} (its position in the input) belongs to worker {@code i mod N}, so the shards differ in size
 * by at most one. Every epoch, each worker shuffles its shard with a generator seeded by (seed, epoch, worker) and
 * walks it in local batches of {@code b}: step {@code s} takes positions {@code [s·b, (s+1)·b)} of that order. An
 * epoch has {@code ceil(largest shard / b)} steps, so every example is used exactly once per epoch; at the last
 * step the smaller shards may give fewer examples, or none.
 *
 * <p>The global batch of a step is the union of the workers' batches, in worker order. Single-machine training on
 * {@link #globalBatch} is what the data-parallel run computes.
 */
public final class ShardPlan implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The number of examples. */
    private final long size;
    /** The number of workers N. */
    private final int workers;
    /** The local batch b. */
    private final int batchPerWorker;
    /** Seeds every epoch's shuffles. */
    private final long seed;

    /**
     * A plan for a data set of {@code size} examples.
     *
     * @param size the number of examples, at least {@code workers}
     * @param workers the number of workers N, at least 1
     * @param batchPerWorker the local batch b, at least 1
     * @param seed seeds every epoch's shuffles
     * @throws IllegalArgumentException when a count is out of range
     */
    public ShardPlan(long size, int workers, int batchPerWorker, long seed) {
        if (workers < 1) {
            throw new IllegalArgumentException("ShardPlan: workers must be >= 1, got " + workers);
        }
        if (batchPerWorker < 1) {
            throw new IllegalArgumentException("ShardPlan: batchPerWorker must be >= 1, got " + batchPerWorker);
        }
        if (size < workers) {
            throw new IllegalArgumentException("ShardPlan: " + size + " examples cannot feed " + workers
                    + " workers; each needs at least one");
        }
        if ((size + workers - 1) / workers > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("ShardPlan: " + size + " examples over " + workers
                    + " workers gives shards larger than 2^31 - 9 examples; use more workers");
        }
        this.size = size;
        this.workers = workers;
        this.batchPerWorker = batchPerWorker;
        this.seed = seed;
    }

    /**
     * The number of examples in the plan.
     *
     * @return the data set's size
     */
    public long size() {
        return size;
    }

    /**
     * The number of workers N.
     *
     * @return N
     */
    public int workers() {
        return workers;
    }

    /**
     * The local batch b.
     *
     * @return examples per worker per step (fewer at an epoch's last step)
     */
    public int batchPerWorker() {
        return batchPerWorker;
    }

    /**
     * How many examples worker {@code w} holds: those whose index is {@code w} modulo N.
     *
     * @param w the worker, in {@code [0, N)}
     * @return the shard's size
     */
    public int shardSize(int w) {
        checkWorker(w);
        return (int) ((size - w + workers - 1) / workers);
    }

    /**
     * Steps in one epoch: enough for the largest shard, worker 0's.
     *
     * @return {@code ceil(shardSize(0) / b)}
     */
    public int stepsPerEpoch() {
        return (shardSize(0) + batchPerWorker - 1) / batchPerWorker;
    }

    /**
     * The order in which worker {@code w} visits its shard during an epoch: a permutation of
     * {@code [0, shardSize(w))}, positions within the shard.
     *
     * @param epoch the epoch, from 0
     * @param w the worker
     * @return a new permutation
     */
    public int[] order(int epoch, int w) {
        checkWorker(w);
        return new Rng(mix(seed, epoch, w)).permutation(shardSize(w));
    }

    /**
     * The positions within the shard of worker {@code w}'s batch at a step, given the epoch's {@link #order}.
     *
     * @param order the epoch's order for this worker
     * @param step the step within the epoch, in {@code [0, stepsPerEpoch())}
     * @return the positions, possibly none at the last step
     */
    public int[] batchPositions(int[] order, int step) {
        checkStep(step);
        int from = Math.min(order.length, step * batchPerWorker);
        int to = Math.min(order.length, from + batchPerWorker);
        return java.util.Arrays.copyOfRange(order, from, to);
    }

    /**
     * The global batch of a step: the input indices of every worker's batch, worker 0's first.
     *
     * @param epoch the epoch, from 0
     * @param step the step within the epoch
     * @return indices into the input data set
     */
    public long[] globalBatch(int epoch, int step) {
        checkStep(step);
        long[] out = new long[globalCount(step)];
        int k = 0;
        for (int w = 0; w < workers; w++) {
            for (int pos : batchPositions(order(epoch, w), step)) {
                out[k++] = globalIndex(w, pos);
            }
        }
        return out;
    }

    /**
     * How many examples the step trains on, over all workers; the same in every epoch.
     *
     * @param step the step within the epoch
     * @return the global batch's size
     */
    public int globalCount(int step) {
        checkStep(step);
        int n = 0;
        for (int w = 0; w < workers; w++) {
            n += Math.max(0, Math.min(batchPerWorker, shardSize(w) - step * batchPerWorker));
        }
        return n;
    }

    /**
     * The input index of the example at a position of worker {@code w}'s shard.
     *
     * @param w the worker
     * @param position the position within the shard
     * @return {@code w + N·position}
     */
    public long globalIndex(int w, int position) {
        return w + (long) workers * position;
    }

    private void checkWorker(int w) {
        if (w < 0 || w >= workers) {
            throw new IllegalArgumentException("ShardPlan: worker " + w + " is not in [0, " + workers + ")");
        }
    }

    private void checkStep(int step) {
        if (step < 0 || step >= stepsPerEpoch()) {
            throw new IllegalArgumentException("ShardPlan: step " + step + " is not in [0, " + stepsPerEpoch() + ")");
        }
    }

    /** SplitMix64's finaliser over the three numbers, so that nearby epochs and workers get unrelated streams. */
    static long mix(long seed, int epoch, int worker) {
        long z = seed + 0x9E3779B97F4A7C15L * (1 + epoch) + 0xBF58476D1CE4E5B9L * (1 + worker);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
