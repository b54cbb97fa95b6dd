package dev.frelon.nn;

import dev.frelon.autodiff.Variable;
import dev.frelon.core.Rng;

/**
 * One Transformer decoder block for encoder–decoder models, as PyTorch's {@code nn.TransformerDecoderLayer}, with
 * its submodule names ({@code self_attn}, {@code multihead_attn}, {@code linear1}, {@code linear2}, {@code norm1},
 * {@code norm2}, {@code norm3}) and so its state-dict keys:
 *
 * <pre>
 *   post-norm:  x = norm1(x + selfAttn(x));  x = norm2(x + crossAttn(x, memory));  x = norm3(x + ff(x))
 *   pre-norm:   x = x + selfAttn(norm1(x));  x = x + crossAttn(norm2(x), memory);  x = x + ff(norm3(x))
 * </pre>
 *
 * (each attention and feed-forward output through dropout). The settings are an encoder layer's
 * ({@link TransformerEncoderLayer.Options}). It needs two inputs, the target and the encoder's memory, so it
 * is run with {@link #forward(Variable, Variable, MultiheadAttention.Masks, MultiheadAttention.Masks)}.
 */
public final class TransformerDecoderLayer extends Module {
    private final TransformerEncoderLayer.Options options;
    private final MultiheadAttention selfAttn, crossAttn;
    private final Linear linear1, linear2;
    private final LayerNorm norm1, norm2, norm3;
    private final Dropout dropout, dropout1, dropout2, dropout3;

    /**
     * Creates the block, initialised as PyTorch's layers are.
     *
     * @param options the settings (width, heads, feed-forward, dropout, activation, ε, layout, pre- or post-norm)
     * @param rng initialisation and dropout generator
     */
    public TransformerDecoderLayer(TransformerEncoderLayer.Options options, Rng rng) {
        this.options = options;
        int d = options.dModel();
        this.selfAttn = register("self_attn", new MultiheadAttention(d, options.heads(), options.dropout(),
                options.batchFirst(), rng));
        this.crossAttn = register("multihead_attn", new MultiheadAttention(d, options.heads(), options.dropout(),
                options.batchFirst(), rng));
        this.linear1 = register("linear1", new Linear(d, options.dimFeedforward(), true, rng));
        this.dropout = register("dropout", new Dropout((float) options.dropout(), rng));
        this.linear2 = register("linear2", new Linear(options.dimFeedforward(), d, true, rng));
        this.norm1 = register("norm1", new LayerNorm(new int[] {d}, options.layerNormEps(), true));
        this.norm2 = register("norm2", new LayerNorm(new int[] {d}, options.layerNormEps(), true));
        this.norm3 = register("norm3", new LayerNorm(new int[] {d}, options.layerNormEps(), true));
        this.dropout1 = register("dropout1", new Dropout((float) options.dropout(), rng));
        this.dropout2 = register("dropout2", new Dropout((float) options.dropout(), rng));
        this.dropout3 = register("dropout3", new Dropout((float) options.dropout(), rng));
    }

    /**
     * Refused: a decoder block needs the encoder's memory as a second input.
     *
     * @param x the target sequence
     * @return never
     * @throws UnsupportedOperationException always, naming the two-input form
     */
    @Override
    public Variable forward(Variable x) {
        throw new UnsupportedOperationException("TransformerDecoderLayer: needs the encoder's memory; call "
                + "forward(target, memory) or forward(target, memory, targetMasks, memoryMasks)");
    }

    /**
     * The general form ({@link Module#forward(Variable...)}): target and memory, without masks (PyTorch's
     * {@code forward(tgt, memory)}).
     *
     * @param inputs {@code target, memory}
     * @return the target's new representation
     * @throws IllegalArgumentException when not given exactly two inputs
     */
    @Override
    public Variable forward(Variable... inputs) {
        if (inputs.length != 2) {
            throw new IllegalArgumentException("TransformerDecoderLayer: takes target and memory, got " + inputs.length
                    + " input(s)");
        }
        return forward(inputs[0], inputs[1], MultiheadAttention.Masks.NONE, MultiheadAttention.Masks.NONE);
    }

    /**
     * The block: self-attention over the target, attention from the target to the memory, feed-forward.
     *
     * @param target {@code [B, Tt, d]} (or {@code [Tt, B, d]})
     * @param memory the encoder's output {@code [B, Tm, d]}
     * @param targetMasks the self-attention's masks (PyTorch's {@code tgt_mask}, {@code tgt_key_padding_mask},
     *     {@code tgt_is_causal})
     * @param memoryMasks the cross-attention's masks ({@code memory_mask}, {@code memory_key_padding_mask})
     * @return the target's new representation, the shape of {@code target}
     */
    public Variable forward(Variable target, Variable memory, MultiheadAttention.Masks targetMasks,
                            MultiheadAttention.Masks memoryMasks) {
        MultiheadAttention.Masks tm = targetMasks.withoutWeights(), mm = memoryMasks.withoutWeights();
        Variable x = target;
        if (options.normFirst()) {
            Variable h = norm1.forward(x);
            x = x.add(dropout1.forward(selfAttn.forward(h, h, h, tm).output()));
            h = norm2.forward(x);
            x = x.add(dropout2.forward(crossAttn.forward(h, memory, memory, mm).output()));
            return x.add(dropout3.forward(feedForward(norm3.forward(x))));
        }
        x = norm1.forward(x.add(dropout1.forward(selfAttn.forward(x, x, x, tm).output())));
        x = norm2.forward(x.add(dropout2.forward(crossAttn.forward(x, memory, memory, mm).output())));
        return norm3.forward(x.add(dropout3.forward(feedForward(x))));
    }

    private Variable feedForward(Variable x) {
        return TransformerEncoderLayer.feedForward(x, linear1, dropout, linear2, options.activation());
    }

    @Override
    protected String extraRepr() {
        return "d_model=" + options.dModel() + ", nhead=" + options.heads() + ", dim_feedforward=" + options.dimFeedforward()
                + (options.normFirst() ? ", norm_first=true" : "");
    }
}
