package dev.frelon.optim;

import dev.frelon.autodiff.Variable;
import dev.frelon.core.Tensor;
import dev.frelon.core.kernel.UpdateKernels;

import java.util.List;

/**
 * Adam, with optional AMSGrad, and AdamW's decoupled weight decay, as PyTorch. At step t:
 *
 * <pre>
 *   p = p·(1 − lr·wd)                       (AdamW only: decoupled decay)
 *   g = ∇p + wd·p                           (Adam only: L2 decay)
 *   m = β1·m + (1 − β1)·g        v = β2·v + (1 − β2)·g²
 *   v̂ = max(v̂, v) (AMSGrad) or v
 *   p = p − lr/(1 − β1^t) · m / (√v̂ / √(1 − β2^t) + ε)
 * </pre>
 */
public class Adam extends Optimizer<Adam.Settings> {

    /**
     * @param beta1 β1 in [0, 1)
     * @param beta2 β2 in [0, 1)
     * @param eps ε &gt; 0
     * @param weightDecay wd, at least 0
     * @param amsgrad use the running maximum of v
     * @param decoupled AdamW: decay the weights directly instead of adding wd·p to the gradient
     */
    public record Settings(double beta1, double beta2, double eps, double weightDecay, boolean amsgrad,
                           boolean decoupled) {
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

        /** @param wd weight decay @return a copy */
        public Settings withWeightDecay(double wd) { return new Settings(beta1, beta2, eps, wd, amsgrad, decoupled); }
        /** @param b1 β1 @param b2 β2 @return a copy */
        public Settings withBetas(double b1, double b2) { return new Settings(b1, b2, eps, weightDecay, amsgrad, decoupled); }
        /** @param e ε @return a copy */
        public Settings withEps(double e) { return new Settings(beta1, beta2, e, weightDecay, amsgrad, decoupled); }
        /** @return a copy with AMSGrad */
        public Settings withAmsgrad() { return new Settings(beta1, beta2, eps, weightDecay, true, decoupled); }
    }

    /** PyTorch's Adam defaults: β = (0.9, 0.999), ε = 1e-8, no weight decay. */
    public static final Settings DEFAULTS = new Settings(0.9, 0.999, 1e-8, 0, false, false);

    /**
     * @param params parameters
     * @param lr learning rate (PyTorch's default is 1e-3)
     */
    public Adam(List<Variable> params, double lr) {
        this(params, lr, DEFAULTS);
    }

    /**
     * @param params parameters
     * @param lr learning rate
     * @param settings betas, eps, weight decay, AMSGrad
     */
    public Adam(List<Variable> params, double lr, Settings settings) {
        this(List.of(new ParamGroup<>(params, lr, settings)));
    }

    /** @param groups parameter groups with their own settings */
    public Adam(List<ParamGroup<Settings>> groups) {
        super(groups);
    }

    @Override
    protected void update(Variable param, Tensor grad, ParamState state, ParamGroup<Settings> group) {
        Settings s = group.settings();
        float[] p = dense(getClass().getSimpleName(), param.data());
        long t = state.incrementStep();
        double lr = group.lr();
        if (s.decoupled() && s.weightDecay() != 0) {
            float keep = (float) (1 - lr * s.weightDecay());
            for (int i = 0; i < p.length; i++) {
                p[i] *= keep;
            }
        }
        double bc1 = 1 - Math.pow(s.beta1(), t);
        double bc2 = 1 - Math.pow(s.beta2(), t);
        UpdateKernels.adam(p, grad.storage(), state.buffer("exp_avg").storage(), state.buffer("exp_avg_sq").storage(),
                s.amsgrad() ? state.buffer("max_exp_avg_sq").storage() : null, p.length,
                (float) (lr / bc1), (float) Math.sqrt(bc2), (float) s.beta1(), (float) s.beta2(), (float) s.eps(),
                s.decoupled() ? 0f : (float) s.weightDecay());
    }
}
