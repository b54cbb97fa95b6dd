package dev.frelon.nn;

import dev.frelon.autodiff.Variable;

/** Elementwise {@code tanh(x)}; any input shape, output of the same shape. */
public final class Tanh extends Module {
    /** Creates the activation (no parameters). */
    public Tanh() {
    }

    @Override
    public Variable forward(Variable x) {
        return x.tanh();
    }
}
