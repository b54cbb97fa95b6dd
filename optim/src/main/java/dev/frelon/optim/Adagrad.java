package dev.frelon.optim;

import dev.frelon.autodiff.Variable;
import dev.frelon.core.Tensor;
import dev.frelon.core.TensorStorage;

import java.util.List;

/**
 * Adagrad, as PyTorch: at step t, {@code clr = lr / (1 + (t − 1)·lrDecay)}, {@code g = ∇p + wd·p},
 * {@code s = s + g²}, {@code p = p − clr·g / (√s + ε)}; s starts at {@code initialAccumulator}.
 */
public final class Adagrad extends Optimizer<Adagrad.Settings> {

    /**
     * The settings of {@link Adagrad}, PyTorch's {@code lr_decay}, {@code weight_decay},
     * {@code initial_accumulator_value} and {@code eps}; {@link Adagrad#DEFAULTS} holds PyTorch's defaults.
     *
     * @param lrDecay learning-rate decay, at least 0
     * @param weightDecay wd, at least 0
     * @param initialAccumulator starting value of s, at least 0
     * @param eps ε &gt; 0
     */
    public record Settings(double lrDecay, double weightDecay, double initialAccumulator, double eps) {
        /** Checks the ranges. */
        public Settings {
            if (!(lrDecay >= 0) || !(weightDecay >= 0) || !(initialAccumulator >= 0) || !(eps > 0)) {
                throw new IllegalArgumentException("Adagrad: need lrDecay >= 0, weight decay >= 0, initial accumulator >= 0,"
                        + " eps > 0; got " + lrDecay + ", " + weightDecay + ", " + initialAccumulator + ", " + eps);
            }
        }
    }

    /** PyTorch's defaults: no decay, accumulator 0, ε = 1e-10. */
    public static final Settings DEFAULTS = new Settings(0, 0, 0, 1e-10);

    /**
     * Creates Adagrad over one group of parameters. The accumulator s of a parameter is created, filled with
     * {@code initialAccumulator}, on its first update.
     *
     * @param params parameters
     * @param lr learning rate (PyTorch's default is 1e-2), at least 0
     * @param settings decays, initial accumulator, ε
     * @throws IllegalArgumentException when {@code lr} is negative, infinite or NaN, or as
     *         {@link Optimizer#Optimizer(List)}
     */
    public Adagrad(List<Variable> params, double lr, Settings settings) {
        super(List.of(new ParamGroup<>(params, lr, settings)));
    }

    @Override
    protected void update(Variable param, Tensor grad, ParamState state, ParamGroup<Settings> group) {
        Settings s = group.settings();
        float[] p = dense(param.data());
        boolean fresh = !state.has("sum");
        Tensor sum = state.buffer("sum");
        if (fresh && s.initialAccumulator() != 0) {
            sum.fill((float) s.initialAccumulator());
        }
        long t = state.step();
        double clr = group.lr() / (1 + (t - 1) * s.lrDecay());
        UpdateLoops.adagrad(p, TensorStorage.array(grad), TensorStorage.array(sum), p.length, (float) clr,
                (float) s.eps(), (float) s.weightDecay());
    }
}
