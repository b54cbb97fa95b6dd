package dev.frelon.optim;

import dev.frelon.autodiff.Grad;
import dev.frelon.autodiff.Variable;

import java.util.Collection;

/**
 * Proximal steps for non-smooth penalties, applied to parameters after an optimizer's step on the smooth part of
 * the loss (proximal gradient descent, ISTA). For the lasso penalty {@code λ·Σ|w|} after a gradient step of
 * learning rate {@code lr}, {@code softThreshold(params, lr·λ)} sets {@code w = sign(w)·max(|w| − lr·λ, 0)}:
 * weights that the data do not hold away from zero become exactly zero, which plain gradient descent on
 * {@code |w|} never gives.
 *
 * <pre>{@code
 * opt.zeroGrad();
 * Losses.mse(model.forward(x), y).backward();
 * opt.step();                                              // plain SGD on the mean squared error
 * Proximal.softThreshold(model.parameters(), lr * lambda); // then the lasso's proximal step
 * }</pre>
 */
public final class Proximal {
    private Proximal() {
    }

    /**
     * Soft-thresholds every element of the parameters in place: {@code w = sign(w)·max(|w| − amount, 0)}.
     *
     * @param params the parameters (modified in place)
     * @param amount the threshold, at least 0: the learning rate times the L1 strength
     * @throws IllegalArgumentException when {@code amount} is negative or not finite
     */
    public static void softThreshold(Collection<Variable> params, double amount) {
        if (!(amount >= 0) || Double.isInfinite(amount)) {
            throw new IllegalArgumentException("softThreshold: amount must be a finite value >= 0, got " + amount);
        }
        float t = (float) amount;
        try (var _ = Grad.noGrad()) {
            for (Variable p : params) {
                var data = p.data();
                data.copyFrom(data.sign().mul(data.abs().sub(t).relu()));
            }
        }
    }
}
