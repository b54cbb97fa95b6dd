package dev.frelon.nn;

import dev.frelon.autodiff.Variable;
import dev.frelon.core.Rng;

/**
 * One Transformer encoder block, as PyTorch's {@code nn.TransformerEncoderLayer}, with its submodule names
 * ({@code self_attn}, {@code linear1}, {@code linear2}, {@code norm1}, {@code norm2}) and so its state-dict keys:
 *
 * <pre>
 *   post-norm (default):  x = norm1(x + dropout(selfAttn(x)));   x = norm2(x + dropout(ff(x)))
 *   pre-norm:             x = x + dropout(selfAttn(norm1(x)));   x = x + dropout(ff(norm2(x)))
 *   ff(x) = linear2(dropout(activation(linear1(x))))             activation: ReLU or GELU
 * </pre>
 */
public final class TransformerEncoderLayer extends Module {

    /** The feed-forward activation. */
    public enum Activation {
        /** max(x, 0), PyTorch's default. */ RELU,
        /** The exact GELU, x·Φ(x). */ GELU
    }

    /**
     * The layer's settings, as PyTorch's constructor arguments; start from {@link #of(int, int)}.
     *
     * @param dModel the model width
     * @param heads attention heads, dividing dModel
     * @param dimFeedforward the feed-forward width
     * @param dropout dropout probability, in [0, 1)
     * @param activation ReLU or GELU
     * @param layerNormEps the layer norms' ε
     * @param batchFirst inputs are {@code [B, T, d]} (else {@code [T, B, d]})
     * @param normFirst pre-norm (else post-norm, PyTorch's default)
     */
    public record Options(int dModel, int heads, int dimFeedforward, double dropout, Activation activation,
                          float layerNormEps, boolean batchFirst, boolean normFirst) {
        /**
         * PyTorch's defaults for a model width and a number of heads.
         *
         * @param dModel the model width
         * @param heads attention heads
         * @return PyTorch's defaults (feed-forward 2048, dropout 0.1, ReLU, ε 1e-5, post-norm), batch-first
         */
        public static Options of(int dModel, int heads) {
            return new Options(dModel, heads, 2048, 0.1, Activation.RELU, 1e-5f, true, false);
        }

        /**
         * Copies these settings with another feed-forward width.
         *
         * @param width the feed-forward width
         * @return a copy with that width
         */
        public Options withFeedforward(int width) {
            return new Options(dModel, heads, width, dropout, activation, layerNormEps, batchFirst, normFirst);
        }

        /**
         * Copies these settings with another dropout probability.
         *
         * @param p the dropout probability
         * @return a copy with that dropout
         */
        public Options withDropout(double p) {
            return new Options(dModel, heads, dimFeedforward, p, activation, layerNormEps, batchFirst, normFirst);
        }

        /**
         * Copies these settings with another feed-forward activation.
         *
         * @param a the activation
         * @return a copy with that activation
         */
        public Options withActivation(Activation a) {
            return new Options(dModel, heads, dimFeedforward, dropout, a, layerNormEps, batchFirst, normFirst);
        }

        /**
         * Copies these settings with pre-norm blocks (layer norm before attention and feed-forward).
         *
         * @return the copy
         */
        public Options withNormFirst() {
            return new Options(dModel, heads, dimFeedforward, dropout, activation, layerNormEps, batchFirst, true);
        }

        /**
         * Copies these settings for {@code [T, B, d]} inputs, PyTorch's default layout.
         *
         * @return the copy
         */
        public Options sequenceFirst() {
            return new Options(dModel, heads, dimFeedforward, dropout, activation, layerNormEps, false, normFirst);
        }
    }

    private final Options options;
    private final MultiheadAttention selfAttn;
    private final Linear linear1, linear2;
    private final LayerNorm norm1, norm2;
    private final Dropout dropout, dropout1, dropout2;

    /**
     * Creates the block, initialised as PyTorch's layers are.
     *
     * @param options the settings
     * @param rng initialisation and dropout generator
     */
    public TransformerEncoderLayer(Options options, Rng rng) {
        this.options = options;
        this.selfAttn = register("self_attn", new MultiheadAttention(options.dModel(), options.heads(), options.dropout(),
                options.batchFirst(), rng));
        this.linear1 = register("linear1", new Linear(options.dModel(), options.dimFeedforward(), true, rng));
        this.dropout = register("dropout", new Dropout((float) options.dropout(), rng));
        this.linear2 = register("linear2", new Linear(options.dimFeedforward(), options.dModel(), true, rng));
        this.norm1 = register("norm1", new LayerNorm(new int[] {options.dModel()}, options.layerNormEps(), true));
        this.norm2 = register("norm2", new LayerNorm(new int[] {options.dModel()}, options.layerNormEps(), true));
        this.dropout1 = register("dropout1", new Dropout((float) options.dropout(), rng));
        this.dropout2 = register("dropout2", new Dropout((float) options.dropout(), rng));
    }

    /**
     * The block's self-attention.
     *
     * @return the {@code self_attn} layer
     */
    public MultiheadAttention selfAttention() {
        return selfAttn;
    }

    @Override
    public Variable forward(Variable x) {
        return forward(x, MultiheadAttention.Masks.NONE);
    }

    /**
     * The block with masks on its self-attention (PyTorch's {@code src_mask}, {@code src_key_padding_mask},
     * {@code is_causal}).
     *
     * @param x {@code [B, T, d]} (or {@code [T, B, d]})
     * @param masks the self-attention's masks (its weights are not returned)
     * @return the same shape
     */
    public Variable forward(Variable x, MultiheadAttention.Masks masks) {
        MultiheadAttention.Masks m = masks.withoutWeights();
        if (options.normFirst()) {
            Variable h = norm1.forward(x);
            x = x.add(dropout1.forward(selfAttn.forward(h, h, h, m).output()));
            return x.add(dropout2.forward(feedForward(norm2.forward(x))));
        }
        x = norm1.forward(x.add(dropout1.forward(selfAttn.forward(x, x, x, m).output())));
        return norm2.forward(x.add(dropout2.forward(feedForward(x))));
    }

    /**
     * The attention weights this block's self-attention gives for an input, averaged over the heads: row i is how
     * much position i reads each position (for a picture of what the layer attends to; nothing is trained).
     *
     * @param x the block's input {@code [B, T, d]} (or {@code [T, B, d]})
     * @param masks the masks the block runs with
     * @return {@code [B, T, T]}, each row summing to 1
     */
    public dev.frelon.core.Tensor attentionWeights(Variable x, MultiheadAttention.Masks masks) {
        Variable h = options.normFirst() ? norm1.forward(x) : x;
        return selfAttn.forward(h, h, h, masks.withWeights()).weights();
    }

    private Variable feedForward(Variable x) {
        return feedForward(x, linear1, dropout, linear2, options.activation());
    }

    /** {@code linear2(dropout(activation(linear1(x))))}: the feed-forward part of encoder and decoder blocks. */
    static Variable feedForward(Variable x, Linear linear1, Dropout dropout, Linear linear2, Activation activation) {
        Variable h = linear1.forward(x);
        h = activation == Activation.GELU ? h.gelu() : h.relu();
        return linear2.forward(dropout.forward(h));
    }

    @Override
    protected String extraRepr() {
        return "d_model=" + options.dModel() + ", nhead=" + options.heads() + ", dim_feedforward=" + options.dimFeedforward()
                + ", activation=" + options.activation().name().toLowerCase(java.util.Locale.ROOT)
                + (options.normFirst() ? ", norm_first=true" : "");
    }
}
