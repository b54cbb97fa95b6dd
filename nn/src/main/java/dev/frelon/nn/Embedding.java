package dev.frelon.nn;

import dev.frelon.autodiff.Variable;
import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;

import java.util.Arrays;

/**
 * A lookup table: integer indices of any shape {@code [...]} give vectors {@code [..., dim]}. Weight
 * {@code [num, dim]} initialised N(0, 1) as PyTorch.
 */
public final class Embedding extends Module {
    private final int num, dim;
    private final Variable weight;

    /**
     * @param num number of entries
     * @param dim size of each vector
     */
    public Embedding(int num, int dim) {
        this(num, dim, Init.defaultRng());
    }

    /**
     * @param num number of entries
     * @param dim size of each vector
     * @param rng initialisation generator
     */
    public Embedding(int num, int dim, Rng rng) {
        this.num = Shapes.positive("Embedding", "num", num);
        this.dim = Shapes.positive("Embedding", "dim", dim);
        this.weight = register("weight", Variable.parameter(Tensor.randn(rng, num, dim)));
    }

    /** @return the table {@code [num, dim]} */
    public Variable weight() {
        return weight;
    }

    /** @param indices integer-valued indices in [0, num) (not differentiated) @return the vectors */
    @Override
    public Variable forward(Variable indices) {
        float[] v = indices.data().toArray();
        int[] idx = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            int k = (int) v[i];
            if (k != v[i] || k < 0 || k >= num) {
                throw new IndexOutOfBoundsException("Embedding: index " + v[i] + " at position " + i
                        + " is not an integer in [0, " + num + ")");
            }
            idx[i] = k;
        }
        int[] shape = Arrays.copyOf(indices.shape(), indices.dim() + 1);
        shape[indices.dim()] = dim;
        return weight.indexSelect(0, idx).reshape(shape);
    }

    @Override
    protected String extraRepr() {
        return num + ", " + dim;
    }
}
