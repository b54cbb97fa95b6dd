package dev.frelon.optim;

import dev.frelon.autodiff.Variable;

import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter): {@code p = p·(1 − lr·wd)} before the Adam
 * step, which then uses the raw gradient. See {@link Adam} for the formula. PyTorch's default decay is 0.01.
 */
public final class AdamW extends Adam {

    /** PyTorch's AdamW defaults: β = (0.9, 0.999), ε = 1e-8, weight decay 0.01. */
    public static final Settings DEFAULTS = new Settings(0.9, 0.999, 1e-8, 0.01, false, true);

    /**
     * @param params parameters
     * @param lr learning rate
     */
    public AdamW(List<Variable> params, double lr) {
        this(params, lr, DEFAULTS);
    }

    /**
     * @param params parameters
     * @param lr learning rate
     * @param settings betas, eps, weight decay, AMSGrad (decoupling is forced on)
     */
    public AdamW(List<Variable> params, double lr, Settings settings) {
        super(params, lr, new Settings(settings.beta1(), settings.beta2(), settings.eps(), settings.weightDecay(),
                settings.amsgrad(), true));
    }
}
