package dev.frelon.nn;

import dev.frelon.autodiff.Variable;

/** Elementwise GELU {@code x·Φ(x)}, exact or with the tanh approximation; any shape. */
public final class GELU extends Module {
    private final boolean tanhApproximation;

    /** The exact GELU. */
    public GELU() {
        this(false);
    }

    /**
     * Creates the exact GELU {@code x·Φ(x)} (Φ the standard normal CDF) or, as PyTorch's
     * {@code approximate='tanh'}, its tanh approximation.
     *
     * @param tanhApproximation use {@code 0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))}
     */
    public GELU(boolean tanhApproximation) {
        this.tanhApproximation = tanhApproximation;
    }

    @Override
    public Variable forward(Variable x) {
        return tanhApproximation ? x.geluTanh() : x.gelu();
    }

    @Override
    protected String extraRepr() {
        return tanhApproximation ? "approximate=tanh" : "";
    }
}
