package dev.frelon.nn;

import dev.frelon.autodiff.Grad;
import dev.frelon.autodiff.NeuralOps;
import dev.frelon.autodiff.Variable;
import dev.frelon.core.DType;
import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;

import java.util.Arrays;

/**
 * Multi-head attention, as PyTorch's {@code nn.MultiheadAttention}, with its parameters and state-dict keys:
 * {@code in_proj_weight} {@code [3E, E]} (the query, key and value projections stacked), {@code in_proj_bias}
 * {@code [3E]}, {@code out_proj.weight} {@code [E, E]}, {@code out_proj.bias} {@code [E]}.
 *
 * <pre>
 *   Q = query·Wqᵀ + bq,  K = key·Wkᵀ + bk,  V = value·Wvᵀ + bv          split into H heads of E/H
 *   head_h = softmax(Q_h·K_hᵀ/√(E/H) + mask)·V_h                       (fused: the weights are not stored)
 *   out = concat(head_1 … head_H)·Woᵀ + bo
 * </pre>
 *
 * Inputs are {@code [B, T, E]} when built batch-first, else {@code [T, B, E]} (PyTorch's default). As a layer of a
 * {@link Sequential} it is self-attention: {@code forward(x)} attends x to itself. The several-input form,
 * {@link #forward(Variable, Variable, Variable, Masks)}, takes separate query, key and value, PyTorch's masks and
 * returns the head-averaged attention weights when asked.
 */
public final class MultiheadAttention extends Module {

    /**
     * The masks and options of one call, as PyTorch's keyword arguments. Start from {@link #NONE}.
     *
     * @param keyPadding {@code [B, Tk]}: true (or nonzero) where a key is padding and must be ignored (PyTorch's
     *     {@code key_padding_mask}), or null
     * @param attention {@code [Tq, Tk]} or {@code [B·H, Tq, Tk]}: a bool mask, true where a query may not look, or
     *     an additive float mask, {@code -inf} there (PyTorch's {@code attn_mask}, either kind), or null
     * @param causal query i sees keys j ≤ i only (PyTorch's {@code is_causal} with its causal mask)
     * @param needWeights also return the attention weights averaged over the heads, {@code [B, Tq, Tk]}
     */
    public record Masks(Tensor keyPadding, Tensor attention, boolean causal, boolean needWeights) {
        /** No masks, no weights. */
        public static final Masks NONE = new Masks(null, null, false, false);

        /**
         * Copies these masks with a key padding mask.
         *
         * @param mask {@code [B, Tk]}, nonzero at padding
         * @return a copy with that key padding mask
         */
        public Masks withKeyPadding(Tensor mask) { return new Masks(mask, attention, causal, needWeights); }

        /**
         * Copies these masks with an additive attention mask.
         *
         * @param mask additive {@code [Tq, Tk]} or {@code [B·H, Tq, Tk]}
         * @return a copy with that attention mask
         */
        public Masks withAttention(Tensor mask) { return new Masks(keyPadding, mask, causal, needWeights); }

        /**
         * Copies these masks with causal attention: query i sees keys j ≤ i only.
         *
         * @return the copy
         */
        public Masks withCausal() { return new Masks(keyPadding, attention, true, needWeights); }

        /**
         * Copies these masks without asking for the weights (what a block that discards them passes on).
         *
         * @return the copy, or these masks when they do not ask for weights
         */
        public Masks withoutWeights() {
            return needWeights ? new Masks(keyPadding, attention, causal, false) : this;
        }

        /**
         * Copies these masks asking for the head-averaged attention weights as well.
         *
         * @return the copy
         */
        public Masks withWeights() { return new Masks(keyPadding, attention, causal, true); }
    }

    /**
     * What the several-input form returns.
     *
     * @param output {@code [B, Tq, E]} (or {@code [Tq, B, E]} when not batch-first)
     * @param weights the attention weights averaged over the heads, {@code [B, Tq, Tk]}, before dropout; null
     *     unless asked for
     */
    public record Output(Variable output, Tensor weights) {
    }

    private final int embed, heads;
    private final double dropout;
    private final boolean batchFirst;
    private final Rng rng;
    private final Variable inProjWeight, inProjBias;
    private final Linear outProj;

    /**
     * Creates multi-head attention initialised as PyTorch: {@code in_proj_weight} Xavier-uniform, biases zero,
     * {@code out_proj.weight} as a default {@link Linear}.
     *
     * @param embed the model width E, divisible by {@code heads}
     * @param heads the number of heads H
     * @param dropout the probability of dropping an attention weight in training, in [0, 1)
     * @param batchFirst inputs are {@code [B, T, E]} (else {@code [T, B, E]})
     * @param rng initialisation and dropout generator
     * @throws IllegalArgumentException when E does not divide by H or a setting is out of range
     */
    public MultiheadAttention(int embed, int heads, double dropout, boolean batchFirst, Rng rng) {
        this.embed = Shapes.positive("MultiheadAttention", "embed dim", embed);
        this.heads = Shapes.positive("MultiheadAttention", "heads", heads);
        if (embed % heads != 0) {
            throw new IllegalArgumentException("MultiheadAttention: embed dim " + embed + " must be divisible by the "
                    + heads + " heads");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("MultiheadAttention: dropout must be in [0, 1), got " + dropout);
        }
        this.dropout = dropout;
        this.batchFirst = batchFirst;
        this.rng = rng;
        this.inProjWeight = register("in_proj_weight", Variable.parameter(Tensor.zeros(3 * embed, embed)));
        this.inProjBias = register("in_proj_bias", Variable.parameter(Tensor.zeros(3 * embed)));
        this.outProj = register("out_proj", new Linear(embed, embed, true, rng));
        Init.xavierUniform(inProjWeight.data(), 1, rng);
        outProj.bias().data().fill(0f);
    }

    /**
     * Creates batch-first multi-head attention without dropout, initialised from this thread's default generator.
     *
     * @param embed the model width E
     * @param heads the number of heads, dividing E
     */
    public MultiheadAttention(int embed, int heads) {
        this(embed, heads, 0, true, Init.defaultRng());
    }

    /**
     * The query, key and value projections, stacked: rows [0, E) project the query, [E, 2E) the key, [2E, 3E) the value.
     *
     * @return the weights {@code [3E, E]}, registered as {@code in_proj_weight}
     */
    public Variable inProjWeight() {
        return inProjWeight;
    }

    /**
     * The projections' biases, stacked as the weights are.
     *
     * @return the biases {@code [3E]}, registered as {@code in_proj_bias}
     */
    public Variable inProjBias() {
        return inProjBias;
    }

    /**
     * The projection applied to the concatenated heads.
     *
     * @return the {@code out_proj} layer
     */
    public Linear outProj() {
        return outProj;
    }

    /**
     * Self-attention without masks, so that the layer composes in a {@link Sequential}.
     *
     * @param x {@code [B, T, E]} (or {@code [T, B, E]})
     * @return the same shape
     */
    @Override
    public Variable forward(Variable x) {
        return forward(x, x, x, Masks.NONE).output();
    }

    /**
     * The general form ({@link Module#forward(Variable...)}): one input is self-attention, three are query, key and
     * value (PyTorch's order), without masks. Masks and weights need {@link #forward(Variable, Variable, Variable, Masks)}.
     *
     * @param inputs {@code x}, or {@code query, key, value}
     * @return the attention output
     * @throws IllegalArgumentException when given another number of inputs
     */
    @Override
    public Variable forward(Variable... inputs) {
        return switch (inputs.length) {
            case 1 -> forward(inputs[0]);
            case 3 -> forward(inputs[0], inputs[1], inputs[2], Masks.NONE).output();
            default -> throw new IllegalArgumentException("MultiheadAttention: takes x, or query, key and value;"
                    + " got " + inputs.length + " inputs");
        };
    }

    /**
     * Attention of a query sequence over a key and value sequence, with masks.
     *
     * @param query {@code [B, Tq, E]} (or {@code [Tq, B, E]})
     * @param key {@code [B, Tk, E]}
     * @param value {@code [B, Tk, E]}
     * @param masks key padding, attention mask, causality, whether to return the weights
     * @return the output and, if asked, the head-averaged weights
     * @throws IllegalArgumentException when a shape or mask does not fit
     */
    public Output forward(Variable query, Variable key, Variable value, Masks masks) {
        for (Variable v : new Variable[] {query, key, value}) {
            Shapes.rank("MultiheadAttention", v, 3, batchFirst ? "[B, T, " + embed + "]" : "[T, B, " + embed + "]");
            Shapes.size("MultiheadAttention", v, 2, embed, batchFirst ? "[B, T, " + embed + "]" : "[T, B, " + embed + "]");
        }
        Variable q = batchFirst ? query : query.transpose(0, 1);
        Variable k = batchFirst ? key : key.transpose(0, 1);
        Variable v = batchFirst ? value : value.transpose(0, 1);
        int b = q.size(0), tq = q.size(1), tk = k.size(1), dh = embed / heads;
        if (k.size(0) != b || v.size(0) != b || v.size(1) != tk) {
            throw new IllegalArgumentException("MultiheadAttention: query, key and value must share the batch and key"
                    + " and value the length, got " + Arrays.toString(query.shape()) + ", " + Arrays.toString(key.shape())
                    + " and " + Arrays.toString(value.shape()));
        }
        Variable qp = project(q, 0).reshape(b, tq, heads, dh).transpose(1, 2);
        Variable kp = project(k, 1).reshape(b, tk, heads, dh).transpose(1, 2);
        Variable vp = project(v, 2).reshape(b, tk, heads, dh).transpose(1, 2);
        Tensor mask = combinedMask(masks, b, tq, tk);
        double p = isTraining() ? dropout : 0;
        Variable heads4 = NeuralOps.scaledDotProductAttention(qp, kp, vp, mask, masks.causal(), p, p > 0 ? rng : null);
        Variable out = outProj.forward(heads4.transpose(1, 2).reshape(b, tq, embed));
        Tensor weights = masks.needWeights() ? weights(qp, kp, mask, masks.causal()) : null;
        return new Output(batchFirst ? out : out.transpose(0, 1), weights);
    }

    /** The i-th of the three input projections: x·W_iᵀ + b_i with W_i rows [iE, (i+1)E) of in_proj_weight. */
    private Variable project(Variable x, int i) {
        return NeuralOps.linear(x, inProjWeight.narrow(0, i * embed, embed), inProjBias.narrow(0, i * embed, embed));
    }

    /** The attention and key-padding masks as one additive mask broadcast to [B, H, Tq, Tk], or null. */
    private Tensor combinedMask(Masks masks, int b, int tq, int tk) {
        Tensor mask = null;
        if (masks.attention() != null) {
            Tensor a = masks.attention();
            if (a.dtype() == DType.BOOL) { // PyTorch's boolean attn_mask: true where a query may not look
                a = Tensor.where(a, Float.NEGATIVE_INFINITY, 0f);
            }
            if (a.dim() == 2 && a.size(0) == tq && a.size(1) == tk) {
                mask = a;
            } else if (a.dim() == 3 && a.size(0) == b * heads && a.size(1) == tq && a.size(2) == tk) {
                mask = a.reshape(b, heads, tq, tk);
            } else {
                throw new IllegalArgumentException("MultiheadAttention: the attention mask must be [" + tq + ", " + tk
                        + "] or [" + b * heads + ", " + tq + ", " + tk + "], got " + Arrays.toString(a.shape()));
            }
        }
        if (masks.keyPadding() != null) {
            Tensor kp = masks.keyPadding();
            if (kp.dim() != 2 || kp.size(0) != b || kp.size(1) != tk) {
                throw new IllegalArgumentException("MultiheadAttention: the key padding mask must be [" + b + ", " + tk
                        + "], got " + Arrays.toString(kp.shape()));
            }
            Tensor additive = Tensor.where(kp.ne(0f), Tensor.scalar(Float.NEGATIVE_INFINITY), Tensor.scalar(0f))
                    .reshape(b, 1, 1, tk);
            mask = mask == null ? additive : additive.add(mask);
        }
        return mask;
    }

    /** softmax(Q·Kᵀ/√dh + mask) averaged over the heads, materialised: only when the caller asks for it. */
    private Tensor weights(Variable qp, Variable kp, Tensor mask, boolean causal) {
        try (var _ = Grad.noGrad()) {
            int tq = qp.size(2), tk = kp.size(2);
            Tensor s = qp.data().matmul(kp.data().transpose(2, 3)).mul((float) (1 / Math.sqrt(embed / heads)));
            if (mask != null) {
                s = s.add(mask);
            }
            if (causal) {
                s = s.maskedFill(Tensor.ones(DType.BOOL, tq, tk).triu(1), Float.NEGATIVE_INFINITY);
            }
            return s.softmax(-1).mean(new int[] {1}, false);
        }
    }

    @Override
    protected String extraRepr() {
        return "embed_dim=" + embed + ", num_heads=" + heads + (dropout > 0 ? ", dropout=" + dropout : "")
                + (batchFirst ? ", batch_first=true" : "");
    }
}
