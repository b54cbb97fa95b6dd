package dev.frelon.optim;

import dev.frelon.autodiff.Variable;
import dev.frelon.core.Tensor;

import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), as PyTorch's {@code torch.optim.AdamW}: each step
 * first shrinks the weights, {@code p = p·(1 − lr·wd)}, then takes the {@link Adam} step on the raw gradient
 * (no L2 term). Same settings type and state buffers as Adam; PyTorch's default decay here is 0.01.
 *
 * <pre>{@code var opt = new AdamW(model.parameters(), 1e-3, AdamW.DEFAULTS.withWeightDecay(0.05));}</pre>
 */
public final class AdamW extends Optimizer<Adam.Settings> {

    /** PyTorch's AdamW defaults: β = (0.9, 0.999), ε = 1e-8, weight decay 0.01, no AMSGrad. */
    public static final Adam.Settings DEFAULTS = new Adam.Settings(0.9, 0.999, 1e-8, 0.01, false);

    /**
     * Creates AdamW with PyTorch's defaults ({@link #DEFAULTS}, weight decay 0.01) over one group of parameters.
     *
     * @param params parameters
     * @param lr learning rate (PyTorch's default is 1e-3), at least 0
     * @throws IllegalArgumentException when {@code lr} is negative, infinite or NaN, or as
     *         {@link Optimizer#Optimizer(List)}
     */
    public AdamW(List<Variable> params, double lr) {
        this(params, lr, DEFAULTS);
    }

    /**
     * Creates AdamW over one group of parameters with the given settings; their weight decay is decoupled.
     *
     * @param params parameters
     * @param lr learning rate, at least 0
     * @param settings betas, eps, decoupled weight decay, AMSGrad
     * @throws IllegalArgumentException when {@code lr} is negative, infinite or NaN, or as
     *         {@link Optimizer#Optimizer(List)}
     */
    public AdamW(List<Variable> params, double lr, Adam.Settings settings) {
        this(List.of(new ParamGroup<>(params, lr, settings)));
    }

    /**
     * Creates AdamW over several parameter groups, each with its own learning rate and settings.
     *
     * @param groups parameter groups with their own learning rates and settings
     * @throws IllegalArgumentException as {@link Optimizer#Optimizer(List)}
     */
    public AdamW(List<ParamGroup<Adam.Settings>> groups) {
        super(groups);
    }

    @Override
    protected void update(Variable param, Tensor grad, ParamState state, ParamGroup<Adam.Settings> group) {
        Adam.Settings s = group.settings();
        float[] p = dense(param.data());
        if (s.weightDecay() != 0) {
            float keep = (float) (1 - group.lr() * s.weightDecay());
            for (int i = 0; i < p.length; i++) {
                p[i] *= keep;
            }
        }
        Adam.adamStep(p, grad, state, s, group.lr(), 0f);
    }
}
