package dev.frelon.optim;

import dev.frelon.autodiff.Variable;

import java.util.List;

/**
 * Parameters updated with the same settings: a learning rate (mutable, for schedulers) and the optimizer's
 * own typed settings {@code S} (momentum, betas, weight decay...).
 *
 * @param <S> the optimizer's settings type
 */
public final class ParamGroup<S> {
    private final List<Variable> params;
    private final S settings;
    private final double initialLr;
    private double lr;

    /**
     * Creates a group; its initial learning rate, the one schedulers start from, is {@code lr}.
     *
     * @param params the parameters (leaves requiring gradients); copied into an unmodifiable list
     * @param lr learning rate, at least 0
     * @param settings the optimizer's other settings
     * @throws IllegalArgumentException when {@code lr} is negative, infinite or NaN
     */
    public ParamGroup(List<Variable> params, double lr, S settings) {
        this.params = List.copyOf(params);
        this.settings = settings;
        checkLr(lr);
        this.initialLr = lr;
        this.lr = lr;
    }

    static void checkLr(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("optimizer: learning rate must be a finite value >= 0, got " + lr);
        }
    }

    /**
     * The parameters this group's settings apply to.
     *
     * @return the parameters, unmodifiable, in the order given
     */
    public List<Variable> params() {
        return params;
    }

    /**
     * The learning rate the next {@code step()} of the optimizer uses for this group.
     *
     * @return the current learning rate
     */
    public double lr() {
        return lr;
    }

    /**
     * Replaces the current learning rate, as schedulers do; the initial one is unchanged.
     *
     * @param lr the new learning rate, at least 0
     * @throws IllegalArgumentException when {@code lr} is negative, infinite or NaN
     */
    public void setLr(double lr) {
        checkLr(lr);
        this.lr = lr;
    }

    /**
     * The learning rate given at construction, which {@link #setLr} never changes.
     *
     * @return the learning rate the group was created with (schedulers start from it)
     */
    public double initialLr() {
        return initialLr;
    }

    /**
     * The optimizer-specific settings of this group (e.g. momentum, betas, weight decay).
     *
     * @return the optimizer's settings for this group
     */
    public S settings() {
        return settings;
    }
}
