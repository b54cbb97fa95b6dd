package dev.frelon.autodiff;

import dev.frelon.core.Tensor;

/** Views, joins and indexing: their gradients put g back where each input element went. */
final class ShapeFunctions {
    private ShapeFunctions() {
    }

    /** Any reshape (view, flatten, squeeze, unsqueeze): the gradient is reshaped back. */
    static final class Reshape extends Function {
        private final int[] shape;
        private final boolean viewOnly;
        /** @param viewOnly as {@code Tensor.view}: fail rather than copy when the strides do not allow a view */
        Reshape(int[] shape, boolean viewOnly) { this.shape = shape; this.viewOnly = viewOnly; }
        @Override protected Tensor forward(Context ctx, Tensor... in) { return viewOnly ? in[0].view(shape) : in[0].reshape(shape); }
        @Override public String name() { return viewOnly ? "View" : "Reshape"; }
        @Override protected Tensor[] backward(Context ctx, Tensor g) { return new Tensor[] {g.reshape(ctx.inputShape(0))}; }
    }

    /** A dense copy: the gradient passes through unchanged. */
    static final class Contiguous extends Function {
        @Override protected Tensor forward(Context ctx, Tensor... in) { return in[0].contiguous(); }
        @Override protected Tensor[] backward(Context ctx, Tensor g) { return new Tensor[] {g}; }
    }

    /** Dim permutation (transpose): the inverse permutation of g. */
    static final class Permute extends Function {
        private final int[] order;
        Permute(int[] order) { this.order = order; }
        @Override protected Tensor forward(Context ctx, Tensor... in) { return in[0].permute(order); }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            int[] inverse = new int[order.length];
            for (int i = 0; i < order.length; i++) {
                inverse[order[i] < 0 ? order[i] + order.length : order[i]] = i;
            }
            return new Tensor[] {g.permute(inverse)};
        }
    }

    /** {@code [start:end:step]} along a dim: g is written into a zero tensor at the sliced positions. */
    static final class Slice extends Function {
        private final int dim, start, end, step;
        Slice(int dim, int start, int end, int step) { this.dim = dim; this.start = start; this.end = end; this.step = step; }
        @Override protected Tensor forward(Context ctx, Tensor... in) { return in[0].slice(dim, start, end, step); }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor dx = Tensor.zeros(g.dtype(), ctx.inputShape(0));
            dx.slice(dim, start, end, step).copyFrom(g);
            return new Tensor[] {dx};
        }
    }

    /** {@code narrow}: a run along a dim that must fit in it; g is written into a zero tensor there. */
    static final class Narrow extends Function {
        private final int dim, start, length;
        Narrow(int dim, int start, int length) { this.dim = dim; this.start = start; this.length = length; }
        @Override protected Tensor forward(Context ctx, Tensor... in) { return in[0].narrow(dim, start, length); }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor dx = Tensor.zeros(g.dtype(), ctx.inputShape(0));
            dx.narrow(dim, start, length).copyFrom(g);
            return new Tensor[] {dx};
        }
    }

    /** One index along a dim: g fills that slice of a zero tensor. */
    static final class Select extends Function {
        private final int dim, index;
        Select(int dim, int index) { this.dim = dim; this.index = index; }
        @Override protected Tensor forward(Context ctx, Tensor... in) { return in[0].select(dim, index); }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor dx = Tensor.zeros(g.dtype(), ctx.inputShape(0));
            dx.select(dim, index).copyFrom(g);
            return new Tensor[] {dx};
        }
    }

    /** Broadcast view: the engine sums g back over the stretched dims. */
    static final class Expand extends Function {
        private final int[] shape;
        Expand(int[] shape) { this.shape = shape; }
        @Override protected Tensor forward(Context ctx, Tensor... in) { return in[0].expand(shape); }
        @Override protected Tensor[] backward(Context ctx, Tensor g) { return new Tensor[] {g}; }
    }

    /** Concatenation along a dim: each input gets its slice of g. */
    static final class Concat extends Function {
        private final int dim, count;
        Concat(int dim, int count) { this.dim = dim; this.count = count; }
        @Override protected Tensor forward(Context ctx, Tensor... in) { return Tensor.concat(dim, in); }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor[] out = new Tensor[count];
            int d = dim < 0 ? dim + g.dim() : dim;
            int at = 0;
            for (int i = 0; i < count; i++) {
                int len = ctx.inputShape(i)[d];
                out[i] = ctx.needsInputGrad(i) ? g.narrow(d, at, len) : null;
                at += len;
            }
            return out;
        }
    }

    /** Stacking along a new dim: each input gets its slice of g at its index along that dim. */
    static final class Stack extends Function {
        private final int dim, count;
        Stack(int dim, int count) { this.dim = dim; this.count = count; }
        @Override protected Tensor forward(Context ctx, Tensor... in) { return Tensor.stack(dim, in); }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor[] out = new Tensor[count];
            int d = dim < 0 ? dim + g.dim() : dim;
            for (int i = 0; i < count; i++) {
                out[i] = ctx.needsInputGrad(i) ? g.select(d, i) : null;
            }
            return out;
        }
    }

    /** {@code indexSelect}: g is added back at the selected indices (repeats accumulate). */
    static final class IndexSelect extends Function {
        private final int dim;
        private final int[] indices;
        IndexSelect(int dim, int[] indices) { this.dim = dim; this.indices = indices; }
        @Override protected Tensor forward(Context ctx, Tensor... in) { return in[0].indexSelect(dim, indices); }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {Tensor.zeros(g.dtype(), ctx.inputShape(0)).indexAdd(dim, indices, g)};
        }
    }

    /** {@code gather}: g is scattered back, adding where indices repeat. */
    static final class Gather extends Function {
        private final int dim;
        private final Tensor index;
        Gather(int dim, Tensor index) { this.dim = dim; this.index = index; }
        @Override protected Tensor forward(Context ctx, Tensor... in) { return in[0].gather(dim, index); }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {Tensor.zeros(g.dtype(), ctx.inputShape(0)).scatterAdd(dim, index, g)};
        }
    }
}
