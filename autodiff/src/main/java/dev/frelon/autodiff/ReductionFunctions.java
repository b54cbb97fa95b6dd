package dev.frelon.autodiff;

import dev.frelon.core.Tensor;

/** Reductions and softmax: gradients spread g back over the reduced dims. */
final class ReductionFunctions {
    private ReductionFunctions() {
    }

    /** Restores reduced dims as size 1 so that g broadcasts against the input. */
    static Tensor keepDims(Tensor g, int[] inputShape, int[] dims, boolean keepDim) {
        if (keepDim || dims == null) {
            return dims == null ? g.reshape(ones(inputShape.length)) : g;
        }
        int rank = inputShape.length;
        if (rank == 0) {
            return g.reshape(); // a 0-d input reduced over dim 0 or -1, which stand for the scalar itself
        }
        boolean[] reduced = new boolean[rank];
        for (int d : dims) {
            reduced[d < 0 ? d + rank : d] = true;
        }
        int[] shape = new int[rank];
        for (int d = 0, j = 0; d < rank; d++) {
            shape[d] = reduced[d] ? 1 : g.shape()[j++];
        }
        return g.reshape(shape);
    }

    private static int[] ones(int n) {
        int[] s = new int[n];
        java.util.Arrays.fill(s, 1);
        return s;
    }

    /** Sum (over all dims when dims is null): g broadcast back. */
    static final class Sum extends Function {
        private final int[] dims;
        private final boolean keepDim;
        Sum(int[] dims, boolean keepDim) { this.dims = dims; this.keepDim = keepDim; }
        @Override protected Tensor forward(Context ctx, Tensor... in) {
            return in[0].sum(dims, keepDim);
        }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            int[] shape = ctx.inputShape(0);
            return new Tensor[] {keepDims(g, shape, dims, keepDim).expand(shape)};
        }
    }

    /** Mean: g / count broadcast back. */
    static final class Mean extends Function {
        private final int[] dims;
        private final boolean keepDim;
        Mean(int[] dims, boolean keepDim) { this.dims = dims; this.keepDim = keepDim; }
        @Override protected Tensor forward(Context ctx, Tensor... in) {
            return in[0].mean(dims, keepDim);
        }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            int[] shape = ctx.inputShape(0);
            long in = 1, out = g.numel();
            for (int s : shape) {
                in *= s;
            }
            double scale = out == 0 ? 0 : (double) out / in; // a float32 g rounds it to float, as before
            return new Tensor[] {keepDims(g, shape, dims, keepDim).mul(scale).expand(shape)};
        }
    }

    /** Max (or min) along a dim: g goes to the position the value came from (the first, on ties). */
    static final class Extremum extends Function {
        private final int dim;
        private final boolean keepDim, max;
        private Tensor index;
        Extremum(int dim, boolean keepDim, boolean max) { this.dim = dim; this.keepDim = keepDim; this.max = max; }
        @Override protected Tensor forward(Context ctx, Tensor... in) {
            // The values first: their errors (a bad dim, an empty one) name max or min, not argmax or argmin.
            Tensor values = max ? in[0].amax(dim, keepDim) : in[0].amin(dim, keepDim);
            index = max ? in[0].argmax(dim, true) : in[0].argmin(dim, true);
            return values;
        }
        /** The positions of the last forward's values, in the values' shape. */
        Tensor indices(int[] valuesShape) { return index.reshape(valuesShape); }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            // g shaped like index: the reduced dim restored (a 0-d input's g stays 0-d, as its index).
            Tensor gk = keepDims(g, ctx.inputShape(0), new int[] {dim}, keepDim);
            return new Tensor[] {Tensor.zeros(g.dtype(), ctx.inputShape(0)).scatterAdd(dim, index, gk.contiguous())};
        }
        @Override public String name() { return max ? "Max" : "Min"; }
    }

    /** Log-sum-exp along a dim: g·softmax(x). */
    static final class LogSumExp extends Function {
        private final int dim;
        private final boolean keepDim;
        LogSumExp(int dim, boolean keepDim) { this.dim = dim; this.keepDim = keepDim; }
        @Override protected Tensor forward(Context ctx, Tensor... in) {
            ctx.save(in[0]);
            return in[0].logSumExp(dim, keepDim);
        }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor x = ctx.saved(0);
            Tensor gk = keepDim ? g : g.unsqueeze(dim);
            return new Tensor[] {gk.mul(x.softmax(dim))};
        }
    }

    /** Softmax along a dim: y·(g − Σ g·y). */
    static final class Softmax extends Function {
        private final int dim;
        Softmax(int dim) { this.dim = dim; }
        @Override protected Tensor forward(Context ctx, Tensor... in) {
            Tensor y = in[0].softmax(dim);
            ctx.save(y);
            return y;
        }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor y = ctx.saved(0);
            return new Tensor[] {y.mul(g.sub(g.mul(y).sum(new int[] {dim}, true)))};
        }
    }

    /** Log-softmax along a dim: g − e^y·Σ g. */
    static final class LogSoftmax extends Function {
        private final int dim;
        LogSoftmax(int dim) { this.dim = dim; }
        @Override protected Tensor forward(Context ctx, Tensor... in) {
            Tensor y = in[0].logSoftmax(dim);
            ctx.save(y);
            return y;
        }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor y = ctx.saved(0);
            return new Tensor[] {g.sub(y.exp().mul(g.sum(new int[] {dim}, true)))};
        }
    }
}
