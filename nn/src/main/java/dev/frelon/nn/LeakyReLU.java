package dev.frelon.nn;

import dev.frelon.autodiff.Variable;

/** Elementwise {@code x} for x &gt; 0, else {@code slope·x}; any shape. */
public final class LeakyReLU extends Module {
    private final float slope;

    /** With PyTorch's default slope 0.01. */
    public LeakyReLU() {
        this(0.01f);
    }

    /**
     * Creates a leaky ReLU with the given slope for negative inputs.
     *
     * @param slope negative slope: the factor applied to {@code x} where {@code x} is not positive
     */
    public LeakyReLU(float slope) {
        this.slope = slope;
    }

    @Override
    public Variable forward(Variable x) {
        return x.leakyRelu(slope);
    }

    @Override
    protected String extraRepr() {
        return "slope=" + slope;
    }
}
