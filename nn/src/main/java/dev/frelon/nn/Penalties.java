package dev.frelon.nn;

import dev.frelon.autodiff.Variable;

import java.util.Collection;

/**
 * Regularisation terms to add to a loss, over any set of parameters (all of a model's, or only its weights):
 *
 * <pre>
 *   l1(W)             = Σ |w|                                   (lasso; its gradient is sign(w), 0 at 0)
 *   l2(W)             = Σ w²                                    (ridge: a Gaussian prior on the weights)
 *   elasticNet(W, α, ρ) = α · (ρ · Σ |w| + (1 − ρ)/2 · Σ w²)      (scikit-learn's ElasticNet convention)
 * </pre>
 *
 * <pre>{@code
 * Variable loss = Losses.mse(model.forward(x), y).add(Penalties.l2(model.parameters()).mul(1e-3));
 * }</pre>
 *
 * Minimising {@code mse + λ·l2} is maximum a posteriori estimation with a zero-mean Gaussian prior on the weights
 * (λ is the noise variance over the prior variance, up to the mean's factor). Gradient descent on {@code l1} shrinks
 * weights toward zero but leaves them oscillating around it; for exact zeros, step on the smooth part of the loss
 * and then apply {@code dev.frelon.optim.Proximal.softThreshold} (proximal gradient descent, ISTA).
 */
public final class Penalties {
    private Penalties() {
    }

    /**
     * The lasso penalty, the L1 norm of the parameters.
     *
     * @param params the parameters to penalise (at least one)
     * @return Σ |w| over every element of every parameter, 0-d and differentiable
     * @throws IllegalArgumentException when {@code params} is empty
     */
    public static Variable l1(Collection<Variable> params) {
        return sum("l1", params, true);
    }

    /**
     * The ridge penalty, the squared L2 norm of the parameters.
     *
     * @param params the parameters to penalise (at least one)
     * @return Σ w² over every element of every parameter, 0-d and differentiable
     * @throws IllegalArgumentException when {@code params} is empty
     */
    public static Variable l2(Collection<Variable> params) {
        return sum("l2", params, false);
    }

    /**
     * The elastic net: {@code alpha · (l1Ratio · l1 + (1 − l1Ratio)/2 · l2)}.
     *
     * @param params the parameters to penalise (at least one)
     * @param alpha the overall strength, at least 0
     * @param l1Ratio the share of the L1 term, in [0, 1] (1 is the lasso, 0 ridge)
     * @return the penalty, 0-d and differentiable
     * @throws IllegalArgumentException when {@code params} is empty or a setting is out of range
     */
    public static Variable elasticNet(Collection<Variable> params, double alpha, double l1Ratio) {
        if (!(alpha >= 0) || !(l1Ratio >= 0 && l1Ratio <= 1)) {
            throw new IllegalArgumentException("elasticNet: need alpha >= 0 and l1Ratio in [0, 1], got " + alpha
                    + " and " + l1Ratio);
        }
        return l1(params).mul(alpha * l1Ratio).add(l2(params).mul(alpha * (1 - l1Ratio) / 2));
    }

    private static Variable sum(String name, Collection<Variable> params, boolean absolute) {
        if (params.isEmpty()) {
            throw new IllegalArgumentException(name + ": no parameters to penalise");
        }
        Variable total = null;
        for (Variable p : params) {
            Variable t = (absolute ? p.abs() : p.square()).sum();
            total = total == null ? t : total.add(t);
        }
        return total;
    }
}
