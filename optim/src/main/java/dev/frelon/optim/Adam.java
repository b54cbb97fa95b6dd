package dev.frelon.optim;

import dev.frelon.autodiff.Variable;
import dev.frelon.core.Tensor;
import dev.frelon.core.TensorStorage;

import java.util.List;

/**
 * Adam, with optional AMSGrad and L2 weight decay, as PyTorch's {@code torch.optim.Adam}. At step t:
 *
 * <pre>
 *   g = ∇p + wd·p                           (L2 decay, added to the gradient)
 *   m = β1·m + (1 − β1)·g        v = β2·v + (1 − β2)·g²
 *   v̂ = max(v̂, v) (AMSGrad) or v
 *   p = p − lr/(1 − β1^t) · m / (√v̂ / √(1 − β2^t) + ε)
 * </pre>
 *
 * State buffers, as PyTorch names them: {@code exp_avg} (m), {@code exp_avg_sq} (v) and, with AMSGrad,
 * {@code max_exp_avg_sq}. For decoupled weight decay use {@link AdamW}.
 *
 * <pre>{@code var opt = new Adam(model.parameters(), 1e-3);}</pre>
 */
public final class Adam extends Optimizer<Adam.Settings> {

    /**
     * The settings of {@link Adam} and {@link AdamW}.
     *
     * @param beta1 β1 in [0, 1), the decay of the first moment
     * @param beta2 β2 in [0, 1), the decay of the second moment
     * @param eps ε &gt; 0, added to the denominator
     * @param weightDecay wd, at least 0: L2 decay for {@link Adam}, decoupled decay for {@link AdamW}
     * @param amsgrad use the running maximum of v
     */
    public record Settings(double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        /** Checks the ranges. */
        public Settings {
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("Adam: betas must be in [0, 1), got (" + beta1 + ", " + beta2 + ")");
            }
            if (!(eps > 0)) {
                throw new IllegalArgumentException("Adam: eps must be > 0, got " + eps);
            }
            if (!(weightDecay >= 0)) {
                throw new IllegalArgumentException("Adam: weight decay must be >= 0, got " + weightDecay);
            }
        }

        /**
         * Returns a copy of these settings with another weight decay: L2 decay for {@link Adam}, decoupled
         * decay for {@link AdamW}.
         *
         * @param wd weight decay, at least 0
         * @return a copy with that decay
         * @throws IllegalArgumentException when {@code wd} is negative or NaN
         */
        public Settings withWeightDecay(double wd) { return new Settings(beta1, beta2, eps, wd, amsgrad); }
        /**
         * Returns a copy of these settings with other moment decays, PyTorch's {@code betas=(b1, b2)}.
         *
         * @param b1 β1 in [0, 1)
         * @param b2 β2 in [0, 1)
         * @return a copy with those betas
         * @throws IllegalArgumentException when a beta is outside [0, 1)
         */
        public Settings withBetas(double b1, double b2) { return new Settings(b1, b2, eps, weightDecay, amsgrad); }
        /**
         * Returns a copy of these settings with another ε, the term added to the denominator for stability.
         *
         * @param e ε &gt; 0
         * @return a copy with that ε
         * @throws IllegalArgumentException when {@code e} is not positive
         */
        public Settings withEps(double e) { return new Settings(beta1, beta2, e, weightDecay, amsgrad); }
        /**
         * Returns a copy of these settings with AMSGrad on: the step divides by the running maximum of v (kept
         * in the buffer {@code max_exp_avg_sq}) instead of v.
         *
         * @return a copy with AMSGrad
         */
        public Settings withAmsgrad() { return new Settings(beta1, beta2, eps, weightDecay, true); }
    }

    /** PyTorch's Adam defaults: β = (0.9, 0.999), ε = 1e-8, no weight decay, no AMSGrad. */
    public static final Settings DEFAULTS = new Settings(0.9, 0.999, 1e-8, 0, false);

    /**
     * Creates Adam with PyTorch's defaults ({@link #DEFAULTS}) over one group of parameters.
     *
     * @param params parameters
     * @param lr learning rate (PyTorch's default is 1e-3), at least 0
     * @throws IllegalArgumentException when {@code lr} is negative, infinite or NaN, or as
     *         {@link Optimizer#Optimizer(List)}
     */
    public Adam(List<Variable> params, double lr) {
        this(params, lr, DEFAULTS);
    }

    /**
     * Creates Adam over one group of parameters with the given settings.
     *
     * @param params parameters
     * @param lr learning rate, at least 0
     * @param settings betas, eps, weight decay, AMSGrad
     * @throws IllegalArgumentException when {@code lr} is negative, infinite or NaN, or as
     *         {@link Optimizer#Optimizer(List)}
     */
    public Adam(List<Variable> params, double lr, Settings settings) {
        this(List.of(new ParamGroup<>(params, lr, settings)));
    }

    /**
     * Creates Adam over several parameter groups, each with its own learning rate and settings.
     *
     * @param groups parameter groups with their own learning rates and settings
     * @throws IllegalArgumentException as {@link Optimizer#Optimizer(List)}
     */
    public Adam(List<ParamGroup<Settings>> groups) {
        super(groups);
    }

    @Override
    protected void update(Variable param, Tensor grad, ParamState state, ParamGroup<Settings> group) {
        Settings s = group.settings();
        adamStep(dense(param.data()), grad, state, s, group.lr(), (float) s.weightDecay());
    }

    /** The moment updates and the bias-corrected step that Adam and AdamW share; l2 is folded into the gradient. */
    static void adamStep(float[] p, Tensor grad, ParamState state, Settings s, double lr, float l2) {
        long t = state.step();
        double bc1 = 1 - Math.pow(s.beta1(), t);
        double bc2 = 1 - Math.pow(s.beta2(), t);
        UpdateLoops.adam(p, TensorStorage.array(grad), TensorStorage.array(state.buffer("exp_avg")),
                TensorStorage.array(state.buffer("exp_avg_sq")),
                s.amsgrad() ? TensorStorage.array(state.buffer("max_exp_avg_sq")) : null, p.length,
                (float) (lr / bc1), (float) Math.sqrt(bc2), (float) s.beta1(), (float) s.beta2(), (float) s.eps(), l2);
    }
}
