package dev.frelon.autodiff;

import dev.frelon.core.Attention;
import dev.frelon.core.Tensor;

/** Fused scaled dot-product attention of Q, K and V (see {@link Attention}); the mask is a constant. */
final class AttentionFunction extends Function {
    private final Tensor mask;
    private final boolean causal;
    private final double dropout;
    private final long seed;
    private final float scale;
    private Attention.Result result;

    AttentionFunction(Tensor mask, boolean causal, double dropout, long seed, float scale) {
        this.mask = mask;
        this.causal = causal;
        this.dropout = dropout;
        this.seed = seed;
        this.scale = scale;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        ctx.save(in[0], in[1], in[2]);
        result = Attention.forward(in[0], in[1], in[2], mask, causal, dropout, seed, scale);
        return result.output();
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor g) {
        Attention.Gradients grads = Attention.backward(g, ctx.saved(0), ctx.saved(1), ctx.saved(2), result, mask, causal,
                dropout, seed, scale);
        return new Tensor[] {grads.q(), grads.k(), grads.v()};
    }

    @Override
    public String name() {
        return "ScaledDotProductAttention";
    }
}
