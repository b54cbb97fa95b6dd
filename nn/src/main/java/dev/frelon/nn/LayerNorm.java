package dev.frelon.nn;

import dev.frelon.autodiff.Variable;
import dev.frelon.core.Tensor;

import java.util.Arrays;

/**
 * Layer normalisation over the last dims: {@code y = (x − mean)/√(var + eps)·γ + β}, mean and (biased)
 * variance over the normalised shape. Input {@code [..., *normalizedShape]}, same output shape.
 */
public final class LayerNorm extends Module {
    private final int[] normalizedShape;
    private final float eps;
    private final Variable weight, bias;

    /**
     * Creates a layer norm with PyTorch's defaults: {@code eps = 1e-5}, learned γ (ones) and β (zeros).
     *
     * @param normalizedShape the trailing dims normalised over (eps 1e-5, with affine parameters)
     * @throws IllegalArgumentException when {@code normalizedShape} is empty
     */
    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5f, true);
    }

    /**
     * Creates a layer norm; with {@code elementwiseAffine} it registers γ ({@code "weight"}, ones) and β
     * ({@code "bias"}, zeros), both of shape {@code normalizedShape}.
     *
     * @param normalizedShape the trailing dims normalised over
     * @param eps added to the variance
     * @param elementwiseAffine learn γ and β
     * @throws IllegalArgumentException when {@code normalizedShape} is empty
     */
    public LayerNorm(int[] normalizedShape, float eps, boolean elementwiseAffine) {
        if (normalizedShape.length == 0) {
            throw new IllegalArgumentException("LayerNorm: normalizedShape must not be empty");
        }
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.weight = elementwiseAffine ? register("weight", Variable.parameter(Tensor.ones(normalizedShape))) : null;
        this.bias = elementwiseAffine ? register("bias", Variable.parameter(Tensor.zeros(normalizedShape))) : null;
    }

    @Override
    public Variable forward(Variable x) {
        int k = normalizedShape.length;
        int[] s = x.shape();
        if (s.length < k || !Arrays.equals(Arrays.copyOfRange(s, s.length - k, s.length), normalizedShape)) {
            throw new IllegalArgumentException("LayerNorm: expected input [..., " + Arrays.toString(normalizedShape)
                    .replaceAll("[\\[\\]]", "") + "], got shape " + Arrays.toString(s));
        }
        int[] dims = new int[k];
        for (int i = 0; i < k; i++) {
            dims[i] = s.length - k + i;
        }
        Variable centered = x.sub(x.mean(dims, true));
        Variable y = centered.div(centered.square().mean(dims, true).add(eps).sqrt());
        return weight == null ? y : y.mul(weight).add(bias);
    }

    @Override
    protected String extraRepr() {
        return Arrays.toString(normalizedShape) + ", eps=" + eps;
    }
}
