package dev.frelon.autodiff;

import dev.frelon.core.Tensor;

/** Matrix products. Backward reads transposed operands through strided views: no transpose is copied. */
final class LinearFunctions {
    private LinearFunctions() {
    }

    /** {@code A @ B} for operands of rank ≥ 2 (batch dims broadcast): g·Bᵀ and Aᵀ·g. */
    static final class MatMul extends Function {
        @Override protected Tensor forward(Context ctx, Tensor... in) {
            ctx.save(in[0], in[1]);
            return in[0].matmul(in[1]);
        }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor a = ctx.saved(0), b = ctx.saved(1);
            return new Tensor[] {
                ctx.needsInputGrad(0) ? g.matmul(b.mT()) : null,
                ctx.needsInputGrad(1) ? a.mT().matmul(g) : null};
        }
    }

    /**
     * The fully connected layer in one node: {@code y = x·Wᵀ + b} for x {@code [..., in]}, W {@code [out, in]},
     * b {@code [out]} (optional). Gradients: {@code dx = g·W}, {@code dW = gᵀ·x} over all leading dims,
     * {@code db = Σ g}. One node instead of three keeps per-op bookkeeping low for small layers.
     */
    static final class Linear extends Function {
        private final boolean hasBias;
        Linear(boolean hasBias) { this.hasBias = hasBias; }
        @Override protected Tensor forward(Context ctx, Tensor... in) {
            Tensor x = in[0], w = in[1];
            if (w.dim() != 2 || x.dim() < 1 || x.size(-1) != w.size(1)) {
                throw new IllegalArgumentException("linear: input " + java.util.Arrays.toString(x.shape())
                        + " does not fit weight " + java.util.Arrays.toString(w.shape()) + " (expected [..., "
                        + (w.dim() == 2 ? w.size(1) : "in") + "])");
            }
            if (hasBias && (in[2].dim() != 1 || in[2].size(0) != w.size(0))) {
                throw new IllegalArgumentException("linear: bias " + java.util.Arrays.toString(in[2].shape())
                        + " does not fit weight " + java.util.Arrays.toString(w.shape()) + " (expected [" + w.size(0) + "])");
            }
            ctx.save(x, w);
            Tensor y = x.matmul(w.t());
            return hasBias ? y.addInPlace(in[2]) : y;
        }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor x = ctx.saved(0), w = ctx.saved(1);
            int out = w.size(0), in = w.size(1);
            int rows = 1; // the leading dims of x, counted rather than inferred (-1 is ambiguous when in or out is 0)
            for (int d = 0; d < x.dim() - 1; d++) {
                rows *= x.size(d);
            }
            Tensor g2 = g.reshape(rows, out);
            Tensor[] grads = new Tensor[hasBias ? 3 : 2];
            if (ctx.needsInputGrad(0)) {
                grads[0] = ctx.fresh(g.matmul(w));
            }
            if (ctx.needsInputGrad(1)) {
                grads[1] = ctx.fresh(g2.t().matmul(x.reshape(rows, in)));
            }
            if (hasBias && ctx.needsInputGrad(2)) {
                grads[2] = g2.sum(0);
            }
            return grads;
        }
    }
}
