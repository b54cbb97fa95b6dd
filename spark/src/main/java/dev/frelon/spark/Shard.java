package dev.frelon.spark;

import dev.frelon.core.Tensor;
import dev.frelon.train.data.Batch;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;

/**
 * One worker's examples, packed into two arrays in the order of their input indices (as {@link ShardPlan}
 * numbers positions). It is what the cached RDD holds, one per partition, so that each stage reuses it without
 * decoding samples again.
 */
final class Shard implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int worker;
    private final long[] indices;
    private final float[] xs;
    private final int[] xShape;
    private final float[] ys;
    private final int[] yShape;

    private Shard(int worker, long[] indices, float[] xs, int[] xShape, float[] ys, int[] yShape) {
        this.worker = worker;
        this.indices = indices;
        this.xs = xs;
        this.xShape = xShape;
        this.ys = ys;
        this.yShape = yShape;
    }

    /**
     * Packs a partition's samples, which arrive sorted by input index.
     *
     * @param worker the partition (worker) number
     * @param plan the plan the indices must follow
     * @param samples (input index, sample) pairs in increasing index order
     * @return the shard
     * @throws IllegalArgumentException when the samples differ in shape or do not match the plan
     */
    static Shard pack(int worker, ShardPlan plan, Iterator<scala.Tuple2<Long, Sample>> samples) {
        int n = plan.shardSize(worker);
        long[] indices = new long[n];
        float[] xs = null, ys = null;
        int[] xShape = null, yShape = null;
        int k = 0;
        while (samples.hasNext()) {
            scala.Tuple2<Long, Sample> t = samples.next();
            Sample s = t._2();
            if (k == n) {
                throw new IllegalStateException("SparkTrainer: worker " + worker + " received more than the " + n
                        + " examples its shard should hold (was the input changed while training?)");
            }
            if (xs == null) {
                xShape = s.xShape();
                yShape = s.yShape();
                long xn = (long) n * s.x().length, yn = (long) n * s.y().length;
                if (Math.max(xn, yn) > Integer.MAX_VALUE - 8) {
                    throw new IllegalArgumentException("SparkTrainer: worker " + worker + "'s shard of " + n
                            + " examples of " + Math.max(s.x().length, s.y().length) + " values needs " + Math.max(xn, yn)
                            + " floats in one array, more than 2^31 - 9; use more workers");
                }
                xs = new float[(int) xn];
                ys = new float[(int) yn];
            } else if (!Arrays.equals(xShape, s.xShape()) || !Arrays.equals(yShape, s.yShape())) {
                throw new IllegalArgumentException("SparkTrainer: example " + t._1() + " has x shape "
                        + Arrays.toString(s.xShape()) + " and y shape " + Arrays.toString(s.yShape())
                        + ", but example " + indices[0] + " has " + Arrays.toString(xShape) + " and "
                        + Arrays.toString(yShape) + "; every example needs the same shapes");
            }
            if (t._1() != plan.globalIndex(worker, k)) {
                throw new IllegalStateException("SparkTrainer: worker " + worker + " expected example "
                        + plan.globalIndex(worker, k) + " at position " + k + ", got " + t._1());
            }
            indices[k] = t._1();
            System.arraycopy(s.x(), 0, xs, k * s.x().length, s.x().length);
            System.arraycopy(s.y(), 0, ys, k * s.y().length, s.y().length);
            k++;
        }
        if (k != n) {
            throw new IllegalStateException("SparkTrainer: worker " + worker + " received " + k + " examples, its shard"
                    + " should hold " + n + " (was the input changed while training?)");
        }
        return new Shard(worker, indices, xs, xShape, ys, yShape);
    }

    int worker() {
        return worker;
    }

    int size() {
        return indices.length;
    }

    /** The input index of the example at a position. */
    long index(int position) {
        return indices[position];
    }

    /** Copies the examples at the given positions into a batch: inputs {@code [k, ...x]}, targets {@code [k, ...y]}. */
    Batch batch(int[] positions) {
        int xn = xs.length / indices.length, yn = ys.length / indices.length;
        float[] bx = new float[positions.length * xn], by = new float[positions.length * yn];
        for (int i = 0; i < positions.length; i++) {
            System.arraycopy(xs, positions[i] * xn, bx, i * xn, xn);
            System.arraycopy(ys, positions[i] * yn, by, i * yn, yn);
        }
        return new Batch(Tensor.wrap(bx, prepend(positions.length, xShape)), Tensor.wrap(by, prepend(positions.length, yShape)));
    }

    private static int[] prepend(int n, int[] shape) {
        int[] out = new int[shape.length + 1];
        out[0] = n;
        System.arraycopy(shape, 0, out, 1, shape.length);
        return out;
    }
}
