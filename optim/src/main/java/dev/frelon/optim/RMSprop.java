package dev.frelon.optim;

import dev.frelon.autodiff.Variable;
import dev.frelon.core.Tensor;
import dev.frelon.core.TensorStorage;

import java.util.List;

/**
 * RMSprop, as PyTorch:
 *
 * <pre>
 *   g = ∇p + wd·p;   s = α·s + (1 − α)·g²
 *   centered: a = α·a + (1 − α)·g;  avg = √(s − a²) + ε     otherwise avg = √s + ε
 *   μ &gt; 0: b = μ·b + g/avg;  p = p − lr·b                   otherwise p = p − lr·g/avg
 * </pre>
 */
public final class RMSprop extends Optimizer<RMSprop.Settings> {

    /**
     * The settings of {@link RMSprop}, PyTorch's {@code alpha}, {@code eps}, {@code weight_decay},
     * {@code momentum} and {@code centered}; {@link RMSprop#DEFAULTS} holds PyTorch's defaults.
     *
     * @param alpha smoothing constant α in [0, 1)
     * @param eps ε &gt; 0
     * @param weightDecay wd, at least 0
     * @param momentum μ, at least 0
     * @param centered normalise by the variance estimate instead of the raw second moment
     */
    public record Settings(double alpha, double eps, double weightDecay, double momentum, boolean centered) {
        /** Checks the ranges. */
        public Settings {
            if (!(alpha >= 0 && alpha < 1) || !(eps > 0) || !(weightDecay >= 0) || !(momentum >= 0)) {
                throw new IllegalArgumentException("RMSprop: need 0 <= alpha < 1, eps > 0, weight decay >= 0, momentum >= 0;"
                        + " got alpha " + alpha + ", eps " + eps + ", weight decay " + weightDecay + ", momentum " + momentum);
            }
        }
    }

    /** PyTorch's defaults: α = 0.99, ε = 1e-8, no decay, no momentum, not centered. */
    public static final Settings DEFAULTS = new Settings(0.99, 1e-8, 0, 0, false);

    /**
     * Creates RMSprop over one group of parameters. State buffers, as PyTorch names them: {@code square_avg}
     * (s), {@code grad_avg} (a, when centered) and {@code momentum_buffer} (b, when μ &gt; 0).
     *
     * @param params parameters
     * @param lr learning rate (PyTorch's default is 1e-2), at least 0
     * @param settings α, ε, weight decay, momentum, centered
     * @throws IllegalArgumentException when {@code lr} is negative, infinite or NaN, or as
     *         {@link Optimizer#Optimizer(List)}
     */
    public RMSprop(List<Variable> params, double lr, Settings settings) {
        super(List.of(new ParamGroup<>(params, lr, settings)));
    }

    @Override
    protected void update(Variable param, Tensor grad, ParamState state, ParamGroup<Settings> group) {
        Settings s = group.settings();
        float[] p = dense(param.data());
        UpdateLoops.rmsprop(p, TensorStorage.array(grad), TensorStorage.array(state.buffer("square_avg")),
                s.centered() ? TensorStorage.array(state.buffer("grad_avg")) : null,
                s.momentum() > 0 ? TensorStorage.array(state.buffer("momentum_buffer")) : null, p.length,
                (float) group.lr(), (float) s.alpha(), (float) s.eps(), (float) s.weightDecay(), (float) s.momentum());
    }
}
