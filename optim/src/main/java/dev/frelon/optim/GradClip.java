package dev.frelon.optim;

import dev.frelon.autodiff.Grad;
import dev.frelon.autodiff.Variable;
import dev.frelon.core.Tensor;

import java.util.List;

/** Gradient clipping, as {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}. */
public final class GradClip {
    private GradClip() {
    }

    /**
     * Scales all gradients together so that their global L2 norm is at most {@code maxNorm}:
     * {@code g = g·min(1, maxNorm/(‖g‖ + 1e-6))}.
     *
     * @param params parameters (those without a gradient are skipped)
     * @param maxNorm the largest allowed norm, &gt; 0
     * @return the global norm before clipping
     */
    public static double byNorm(List<Variable> params, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("GradClip.byNorm: maxNorm must be > 0, got " + maxNorm);
        }
        double sq = 0;
        for (Variable p : params) {
            if (p.grad() != null) {
                for (float v : p.grad().toArray()) {
                    sq += (double) v * v;
                }
            }
        }
        double norm = Math.sqrt(sq);
        double coef = maxNorm / (norm + 1e-6);
        if (coef < 1) {
            try (var _ = Grad.noGrad()) {
                for (Variable p : params) {
                    if (p.grad() != null) {
                        p.grad().mulInPlace((float) coef);
                    }
                }
            }
        }
        return norm;
    }

    /**
     * Clamps every gradient element into {@code [−clip, clip]}.
     *
     * @param params parameters
     * @param clip the bound, &gt; 0
     */
    public static void byValue(List<Variable> params, double clip) {
        if (!(clip > 0)) {
            throw new IllegalArgumentException("GradClip.byValue: clip must be > 0, got " + clip);
        }
        for (Variable p : params) {
            Tensor g = p.grad();
            if (g != null) {
                g.copyFrom(g.clamp((float) -clip, (float) clip));
            }
        }
    }
}
