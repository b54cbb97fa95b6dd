package dev.frelon.optim;

import dev.frelon.autodiff.Variable;
import dev.frelon.core.Tensor;
import dev.frelon.core.TensorStorage;

import java.util.List;

/**
 * Stochastic gradient descent with momentum, dampening, Nesterov momentum and L2 weight decay, as PyTorch:
 *
 * <pre>
 *   g = ∇p + wd·p
 *   b = g                          on the first step,  else  b = μ·b + (1 − τ)·g     (when μ ≠ 0)
 *   d = g + μ·b  (Nesterov)   or   d = b   (μ ≠ 0)   or   d = g   (μ = 0)
 *   p = p − lr·d
 * </pre>
 *
 * <pre>{@code var opt = new SGD(model.parameters(), 0.05, SGD.momentum(0.9));}</pre>
 */
public final class SGD extends Optimizer<SGD.Settings> {

    /**
     * The settings of {@link SGD}, PyTorch's {@code momentum}, {@code dampening}, {@code weight_decay} and
     * {@code nesterov}; start from {@link SGD#PLAIN} or {@link SGD#momentum(double)} and chain the withers.
     *
     * @param momentum μ, at least 0
     * @param dampening τ
     * @param weightDecay wd, at least 0
     * @param nesterov Nesterov momentum (needs μ &gt; 0 and τ = 0)
     */
    public record Settings(double momentum, double dampening, double weightDecay, boolean nesterov) {
        /** Checks the ranges. */
        public Settings {
            if (!(momentum >= 0) || !(momentum < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("SGD: momentum must be >= 0, got " + momentum);
            }
            if (!(weightDecay >= 0)) {
                throw new IllegalArgumentException("SGD: weight decay must be >= 0, got " + weightDecay);
            }
            if (nesterov && (momentum <= 0 || dampening != 0)) {
                throw new IllegalArgumentException("SGD: Nesterov momentum needs momentum > 0 and dampening 0, got momentum "
                        + momentum + " and dampening " + dampening);
            }
        }

        /**
         * Returns a copy of these settings with another L2 weight decay, added to the gradient as
         * {@code wd·p}.
         *
         * @param wd weight decay, at least 0
         * @return a copy
         * @throws IllegalArgumentException when {@code wd} is negative or NaN
         */
        public Settings withWeightDecay(double wd) { return new Settings(momentum, dampening, wd, nesterov); }
        /**
         * Returns a copy of these settings with another dampening τ, which scales the new gradient by
         * {@code 1 − τ} in the momentum buffer (from the second step on).
         *
         * @param d dampening
         * @return a copy
         * @throws IllegalArgumentException when Nesterov momentum is on and {@code d} is not 0
         */
        public Settings withDampening(double d) { return new Settings(momentum, d, weightDecay, nesterov); }
        /**
         * Returns a copy of these settings with Nesterov momentum, which steps along {@code g + μ·b} instead of
         * {@code b}.
         *
         * @return a copy with Nesterov momentum
         * @throws IllegalArgumentException when the momentum is 0 or the dampening is not 0
         */
        public Settings withNesterov() { return new Settings(momentum, dampening, weightDecay, true); }
    }

    /** Plain SGD: no momentum, no weight decay. */
    public static final Settings PLAIN = new Settings(0, 0, 0, false);

    /**
     * Returns settings for SGD with momentum (heavy ball): no dampening, no weight decay, no Nesterov, as
     * PyTorch's {@code SGD(params, lr, momentum=m)}.
     *
     * @param m momentum μ, at least 0
     * @return settings with that momentum
     * @throws IllegalArgumentException when {@code m} is negative, infinite or NaN
     */
    public static Settings momentum(double m) {
        return new Settings(m, 0, 0, false);
    }

    /**
     * Creates plain SGD ({@link #PLAIN}: {@code p = p − lr·∇p}) over one group of parameters.
     *
     * @param params parameters
     * @param lr learning rate, at least 0
     * @throws IllegalArgumentException when {@code lr} is negative, infinite or NaN, or as
     *         {@link Optimizer#Optimizer(List)}
     */
    public SGD(List<Variable> params, double lr) {
        this(params, lr, PLAIN);
    }

    /**
     * Creates SGD over one group of parameters with the given settings.
     *
     * @param params parameters
     * @param lr learning rate, at least 0
     * @param settings momentum, dampening, weight decay, Nesterov
     * @throws IllegalArgumentException when {@code lr} is negative, infinite or NaN, or as
     *         {@link Optimizer#Optimizer(List)}
     */
    public SGD(List<Variable> params, double lr, Settings settings) {
        this(List.of(new ParamGroup<>(params, lr, settings)));
    }

    /**
     * Creates SGD over several parameter groups, each with its own learning rate and settings (PyTorch's
     * per-group options).
     *
     * @param groups parameter groups with their own settings
     * @throws IllegalArgumentException as {@link Optimizer#Optimizer(List)}
     */
    public SGD(List<ParamGroup<Settings>> groups) {
        super(groups);
    }

    @Override
    protected void update(Variable param, Tensor grad, ParamState state, ParamGroup<Settings> group) {
        Settings s = group.settings();
        float[] p = dense(param.data());
        boolean first = s.momentum() != 0 && !state.has("momentum_buffer");
        float[] buf = s.momentum() != 0 ? TensorStorage.array(state.buffer("momentum_buffer")) : null;
        UpdateLoops.sgd(p, TensorStorage.array(grad), buf, p.length, (float) group.lr(), (float) s.momentum(),
                (float) s.dampening(), (float) s.weightDecay(), s.nesterov(), first);
    }
}
