package dev.frelon.nn;

import dev.frelon.autodiff.NeuralOps;
import dev.frelon.autodiff.Variable;
import dev.frelon.core.Rng;

/**
 * Inverted dropout: in training mode each element is zeroed with probability p and the rest scaled by
 * {@code 1/(1−p)}; in eval mode the identity. Any shape.
 */
public final class Dropout extends Module {
    private final float p;
    private final Rng rng;

    /** @param p drop probability in [0, 1) */
    public Dropout(float p) {
        this(p, new Rng(Init.defaultRng().nextLong()));
    }

    /**
     * @param p drop probability in [0, 1)
     * @param rng source of the masks
     */
    public Dropout(float p, Rng rng) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("Dropout: p must be in [0, 1), got " + p);
        }
        this.p = p;
        this.rng = rng;
    }

    @Override
    public Variable forward(Variable x) {
        return NeuralOps.dropout(x, p, rng, isTraining());
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
