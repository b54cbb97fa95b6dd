package dev.frelon.nn;

import dev.frelon.autodiff.Variable;
import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;

/**
 * Adds each position's code to a batch of sequences {@code [B, T, d]}, so that attention, which is blind to order,
 * can tell positions apart. Two kinds:
 *
 * <ul>
 *   <li>{@link #sinusoidal(int, int)}: the fixed codes of "Attention Is All You Need",
 *   {@code PE(t, 2i) = sin(t / 10000^(2i/d))}, {@code PE(t, 2i+1) = cos(t / 10000^(2i/d))}; no parameters, so it
 *   adds nothing to the state dict.</li>
 *   <li>{@link #learned(int, int, Rng)}: one trained vector per position, the parameter {@code weight}
 *   {@code [maxLength, d]} (GPT's), initialised N(0, 1) as an embedding.</li>
 * </ul>
 */
public final class PositionalEncoding extends Module {
    private final int maxLength, dim;
    private final Tensor fixed;
    private final Variable weight;

    private PositionalEncoding(int maxLength, int dim, Tensor fixed, Variable weight) {
        this.maxLength = maxLength;
        this.dim = dim;
        this.fixed = fixed;
        this.weight = weight == null ? null : register("weight", weight);
    }

    /**
     * The fixed sinusoidal codes of "Attention Is All You Need".
     *
     * @param maxLength the longest sequence, positive
     * @param dim the model width, positive and even
     * @return the sinusoidal encoding
     */
    public static PositionalEncoding sinusoidal(int maxLength, int dim) {
        Shapes.positive("PositionalEncoding", "max length", maxLength);
        Shapes.positive("PositionalEncoding", "dim", dim);
        if (dim % 2 != 0) {
            throw new IllegalArgumentException("PositionalEncoding: the sinusoidal codes need an even dim, got " + dim);
        }
        float[] pe = new float[maxLength * dim];
        for (int t = 0; t < maxLength; t++) {
            for (int i = 0; i < dim; i += 2) {
                double angle = t / Math.pow(10000, (double) i / dim);
                pe[t * dim + i] = (float) Math.sin(angle);
                pe[t * dim + i + 1] = (float) Math.cos(angle);
            }
        }
        return new PositionalEncoding(maxLength, dim, Tensor.of(pe, maxLength, dim), null);
    }

    /**
     * One trained vector per position, initialised N(0, 1).
     *
     * @param maxLength the longest sequence, positive
     * @param dim the model width, positive
     * @param rng initialisation generator
     * @return a learned encoding
     */
    public static PositionalEncoding learned(int maxLength, int dim, Rng rng) {
        Shapes.positive("PositionalEncoding", "max length", maxLength);
        Shapes.positive("PositionalEncoding", "dim", dim);
        return new PositionalEncoding(maxLength, dim, null, Variable.parameter(Tensor.randn(rng, maxLength, dim)));
    }

    @Override
    public Variable forward(Variable x) {
        Shapes.rank("PositionalEncoding", x, 3, "[B, T, " + dim + "]");
        Shapes.size("PositionalEncoding", x, 2, dim, "[B, T, " + dim + "]");
        int t = x.size(1);
        if (t > maxLength) {
            throw new IllegalArgumentException("PositionalEncoding: sequence of length " + t + " is longer than the "
                    + maxLength + " positions it was built for");
        }
        return weight != null ? x.add(weight.narrow(0, 0, t)) : x.add(Variable.of(fixed.narrow(0, 0, t)));
    }

    @Override
    protected String extraRepr() {
        return (weight != null ? "learned" : "sinusoidal") + ", max_length=" + maxLength + ", dim=" + dim;
    }
}
