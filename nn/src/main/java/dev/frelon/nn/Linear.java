package dev.frelon.nn;

import dev.frelon.autodiff.NeuralOps;
import dev.frelon.autodiff.Variable;
import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;

/**
 * Fully connected layer {@code y = x·Wᵀ + b}. Input {@code [..., in]}, output {@code [..., out]}; weight
 * {@code [out, in]}, bias {@code [out]}. Initialised as PyTorch's {@code nn.Linear}.
 */
public final class Linear extends Module {
    private final int in, out;
    private final Variable weight, bias;

    /**
     * Creates a layer with a bias, initialised from this thread's default generator ({@link Init#defaultRng()}).
     *
     * @param in input features, positive
     * @param out output features, positive
     * @throws IllegalArgumentException when a size is not positive
     */
    public Linear(int in, int out) {
        this(in, out, true, Init.defaultRng());
    }

    /**
     * Creates a layer initialised as PyTorch's default ({@link Init#pytorchDefault}): weight and bias uniform in
     * {@code (−1/√in, 1/√in)}.
     *
     * @param in input features, positive
     * @param out output features, positive
     * @param bias whether to learn a bias
     * @param rng initialisation generator
     * @throws IllegalArgumentException when a size is not positive
     */
    public Linear(int in, int out, boolean bias, Rng rng) {
        this.in = Shapes.positive("Linear", "in", in);
        this.out = Shapes.positive("Linear", "out", out);
        this.weight = register("weight", Variable.parameter(Tensor.zeros(out, in)));
        this.bias = bias ? register("bias", Variable.parameter(Tensor.zeros(out))) : null;
        Init.pytorchDefault(weight.data(), bias ? this.bias.data() : null, rng);
    }

    /**
     * The learned weight W, registered as parameter {@code "weight"}.
     *
     * @return the weight {@code [out, in]}
     */
    public Variable weight() {
        return weight;
    }

    /**
     * The learned bias b, registered as parameter {@code "bias"} when the layer has one.
     *
     * @return the bias {@code [out]}, or null when built without a bias
     */
    public Variable bias() {
        return bias;
    }

    @Override
    public Variable forward(Variable x) {
        Shapes.size("Linear", x, -1, in, "[..., " + in + "]");
        return NeuralOps.linear(x, weight, bias);
    }

    @Override
    protected String extraRepr() {
        return "in=" + in + ", out=" + out + ", bias=" + (bias != null);
    }
}
