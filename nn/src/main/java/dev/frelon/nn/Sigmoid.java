package dev.frelon.nn;

import dev.frelon.autodiff.Variable;

/** Elementwise {@code 1 / (1 + e^-x)}; any input shape, output of the same shape. */
public final class Sigmoid extends Module {
    /** Creates the activation (no parameters). */
    public Sigmoid() {
    }

    @Override
    public Variable forward(Variable x) {
        return x.sigmoid();
    }
}
