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

    /**
     * Creates a dropout layer whose masks come from a generator seeded by one draw from this thread's default
     * generator ({@link Init#defaultRng()}), so that {@link Init#seed(long)} makes them reproducible.
     *
     * @param p drop probability in [0, 1)
     * @throws IllegalArgumentException when {@code p} is outside [0, 1)
     */
    public Dropout(float p) {
        this(p, new Rng(Init.defaultRng().nextLong()));
    }

    /**
     * Creates a dropout layer drawing its masks from {@code rng}, which it keeps and advances at each forward in
     * training mode with {@code p > 0}.
     *
     * @param p drop probability in [0, 1)
     * @param rng source of the masks
     * @throws IllegalArgumentException when {@code p} is outside [0, 1)
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
