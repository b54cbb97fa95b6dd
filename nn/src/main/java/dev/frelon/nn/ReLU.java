package dev.frelon.nn;

import dev.frelon.autodiff.Variable;

/** Elementwise {@code max(x, 0)}; any input shape, output of the same shape. */
public final class ReLU extends Module {
    /** Creates the activation (no parameters). */
    public ReLU() {
    }

    @Override
    public Variable forward(Variable x) {
        return x.relu();
    }
}
