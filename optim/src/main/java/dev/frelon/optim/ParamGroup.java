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
     * @param params the parameters (leaves requiring gradients)
     * @param lr learning rate, at least 0
     * @param settings the optimizer's other settings
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

    /** @return the parameters */
    public List<Variable> params() {
        return params;
    }

    /** @return the current learning rate */
    public double lr() {
        return lr;
    }

    /** @param lr the new learning rate, at least 0 */
    public void setLr(double lr) {
        checkLr(lr);
        this.lr = lr;
    }

    /** @return the learning rate the group was created with (schedulers start from it) */
    public double initialLr() {
        return initialLr;
    }

    /** @return the optimizer's settings for this group */
    public S settings() {
        return settings;
    }
}
