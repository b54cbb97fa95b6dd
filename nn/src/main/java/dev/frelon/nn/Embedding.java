package dev.frelon.nn;

import dev.frelon.autodiff.Variable;
import dev.frelon.core.ClassIndices;
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
     * Creates a table drawn from this thread's default generator ({@link Init#defaultRng()}).
     *
     * @param num number of entries, positive
     * @param dim size of each vector, positive
     * @throws IllegalArgumentException when a size is not positive
     */
    public Embedding(int num, int dim) {
        this(num, dim, Init.defaultRng());
    }

    /**
     * Creates a table of {@code num} vectors of size {@code dim}, each element drawn from N(0, 1).
     *
     * @param num number of entries, positive
     * @param dim size of each vector, positive
     * @param rng initialisation generator
     * @throws IllegalArgumentException when a size is not positive
     */
    public Embedding(int num, int dim, Rng rng) {
        this.num = Shapes.positive("Embedding", "num", num);
        this.dim = Shapes.positive("Embedding", "dim", dim);
        this.weight = register("weight", Variable.parameter(Tensor.randn(rng, num, dim)));
    }

    /**
     * The learned table, registered as parameter {@code "weight"}; row {@code i} is the vector of index {@code i}.
     *
     * @return the table {@code [num, dim]}
     */
    public Variable weight() {
        return weight;
    }

    /**
     * Looks up one row of the table per index: indices of shape {@code [...]} give {@code [..., dim]}. The
     * gradient flows to the selected rows of the weight (summed where an index repeats).
     *
     * @param indices indices in [0, num): int64 or int32, or floats holding integers (not differentiated)
     * @return the vectors, {@code [..., dim]}
     * @throws IndexOutOfBoundsException when an index is not an integer in [0, num)
     */
    @Override
    public Variable forward(Variable indices) {
        int[] idx = ClassIndices.read("Embedding", "index", indices.data(), num);
        int[] shape = Arrays.copyOf(indices.shape(), indices.dim() + 1);
        shape[indices.dim()] = dim;
        return weight.indexSelect(0, idx).reshape(shape);
    }

    @Override
    protected String extraRepr() {
        return num + ", " + dim;
    }
}
