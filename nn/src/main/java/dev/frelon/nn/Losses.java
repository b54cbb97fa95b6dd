package dev.frelon.nn;

import dev.frelon.autodiff.NeuralOps;
import dev.frelon.autodiff.Variable;
import dev.frelon.core.ClassIndices;
import dev.frelon.core.CrossEntropy;
import dev.frelon.core.Reduction;
import dev.frelon.core.Tensor;

import java.util.Arrays;

/**
 * Loss functions with PyTorch's semantics. Targets are constants ({@link Tensor}); class targets are
 * integer-valued floats.
 */
public final class Losses {
    private Losses() {
    }

    /**
     * Mean softmax cross-entropy of logits against class indices (fused, stable).
     *
     * @param logits {@code [N, C]}
     * @param targets {@code [N]} class indices
     * @return the loss, 0-d
     */
    public static Variable crossEntropy(Variable logits, Tensor targets) {
        return crossEntropy(logits, targets, CrossEntropy.Options.DEFAULT);
    }

    /**
     * Softmax cross-entropy with reduction, class weights, ignore index and label smoothing; the formula is
     * in {@link CrossEntropy}.
     *
     * @param logits {@code [N, C]}
     * @param targets {@code [N]} class indices
     * @param o options
     * @return the loss (0-d, or {@code [N]} for NONE)
     */
    public static Variable crossEntropy(Variable logits, Tensor targets, CrossEntropy.Options o) {
        return NeuralOps.crossEntropy(logits, targets, o);
    }

    /**
     * Negative log-likelihood of log-probabilities: {@code l_i = −w[y_i]·logp[i, y_i]}, mean divided by
     * {@code Σ w[y_i]} over non-ignored samples.
     *
     * @param logProbs {@code [N, C]}, e.g. from {@code logSoftmax(1)}
     * @param targets {@code [N]} class indices
     * @param classWeights {@code [C]} or null
     * @param ignoreIndex target value that contributes nothing
     * @param reduction how to combine
     * @return the loss
     */
    public static Variable nll(Variable logProbs, Tensor targets, Tensor classWeights, int ignoreIndex, Reduction reduction) {
        if (logProbs.dim() != 2 || targets.dim() != 1 || targets.size(0) != logProbs.size(0)) {
            throw new IllegalArgumentException("nll: expected logProbs [N, C] and targets [N], got "
                    + Arrays.toString(logProbs.shape()) + " and " + Arrays.toString(targets.shape()));
        }
        int n = logProbs.size(0), c = logProbs.size(1);
        int[] y = ClassIndices.read("nll", "target", targets, c, ignoreIndex);
        float[] w = new float[n];
        float[] safe = new float[n];
        float[] cw = classWeights == null ? null : classWeights.toArray();
        if (cw != null && cw.length != c) {
            throw new IllegalArgumentException("nll: class weights must be [" + c + "], got " + Arrays.toString(classWeights.shape()));
        }
        double wsum = 0;
        boolean[] ignored = new boolean[n];
        for (int i = 0; i < n; i++) {
            int k = y[i];
            if (k == ignoreIndex) {
                ignored[i] = true;
                continue;
            }
            safe[i] = k;
            w[i] = cw == null ? 1f : cw[k];
            wsum += w[i];
        }
        // An ignored row's log-probability is zeroed, not multiplied by its weight 0: 0 · -inf would be NaN.
        Variable picked = logProbs.gather(1, Tensor.of(safe, n, 1)).reshape(n).maskedFill(Tensor.of(ignored), 0f);
        Variable per = picked.mul(Variable.of(Tensor.of(w))).neg();
        return switch (reduction) {
            case NONE -> per;
            case SUM -> per.sum();
            case MEAN -> per.sum().div(wsum);
        };
    }

    private static Variable reduce(Variable per, Reduction r) {
        return switch (r) {
            case NONE -> per;
            case SUM -> per.sum();
            case MEAN -> per.mean();
        };
    }

    private static void sameShape(String loss, Variable p, Tensor t) {
        if (!Arrays.equals(p.shape(), t.shape())) {
            throw new IllegalArgumentException(loss + ": prediction shape " + Arrays.toString(p.shape())
                    + " differs from target shape " + Arrays.toString(t.shape()));
        }
    }

    /**
     * Mean squared error, as PyTorch's {@code F.mse_loss} with its default {@code reduction='mean'}.
     *
     * @param prediction any shape
     * @param target same shape
     * @return mean of {@code (prediction − target)²}, 0-d
     * @throws IllegalArgumentException when the shapes differ
     */
    public static Variable mse(Variable prediction, Tensor target) {
        return mse(prediction, target, Reduction.MEAN);
    }

    /**
     * Squared error {@code (prediction − target)²} per element, combined as {@code reduction} says, as
     * PyTorch's {@code F.mse_loss}.
     *
     * @param prediction any shape
     * @param target same shape
     * @param reduction how to combine
     * @return {@code (prediction − target)²}, reduced (0-d, or the input's shape for NONE)
     * @throws IllegalArgumentException when the shapes differ
     */
    public static Variable mse(Variable prediction, Tensor target, Reduction reduction) {
        sameShape("mse", prediction, target);
        return reduce(prediction.sub(Variable.of(target)).square(), reduction);
    }

    /**
     * Absolute error {@code |prediction − target|} per element, combined as {@code reduction} says, as
     * PyTorch's {@code F.l1_loss}.
     *
     * @param prediction any shape
     * @param target same shape
     * @param reduction how to combine
     * @return {@code |prediction − target|}, reduced (0-d, or the input's shape for NONE)
     * @throws IllegalArgumentException when the shapes differ
     */
    public static Variable l1(Variable prediction, Tensor target, Reduction reduction) {
        sameShape("l1", prediction, target);
        return reduce(prediction.sub(Variable.of(target)).abs(), reduction);
    }

    /**
     * Huber loss: {@code 0.5·d²} for {@code |d| < δ}, else {@code δ·(|d| − 0.5·δ)}.
     *
     * @param prediction any shape
     * @param target same shape
     * @param delta δ &gt; 0
     * @param reduction how to combine
     * @return the loss
     */
    public static Variable huber(Variable prediction, Tensor target, float delta, Reduction reduction) {
        sameShape("huber", prediction, target);
        if (!(delta > 0)) {
            throw new IllegalArgumentException("huber: delta must be positive, got " + delta);
        }
        Variable d = prediction.sub(Variable.of(target));
        Tensor small = d.data().abs().lt(delta);
        Variable quad = d.square().mul(0.5f);
        Variable lin = d.abs().sub(0.5f * delta).mul(delta);
        return reduce(Variable.where(small, quad, lin), reduction);
    }

    /**
     * Smooth L1 loss: {@code 0.5·d²/β} for {@code |d| < β}, else {@code |d| − 0.5·β} (Huber divided by β).
     *
     * @param prediction any shape
     * @param target same shape
     * @param beta β &gt; 0
     * @param reduction how to combine
     * @return the loss
     */
    public static Variable smoothL1(Variable prediction, Tensor target, float beta, Reduction reduction) {
        return huber(prediction, target, beta, reduction).div(beta);
    }

    /**
     * Binary cross-entropy on logits, stable: {@code max(x, 0) − x·t + ln(1 + e^−|x|)}; with a positive-class
     * weight p: {@code (1 − t)·x + (1 + (p − 1)·t)·(ln(1 + e^−|x|) + max(−x, 0))}.
     *
     * @param logits any shape
     * @param targets same shape, in [0, 1]
     * @param posWeight weight of positive examples (1 for none)
     * @param reduction how to combine
     * @return the loss
     */
    public static Variable bceWithLogits(Variable logits, Tensor targets, float posWeight, Reduction reduction) {
        sameShape("bceWithLogits", logits, targets);
        Variable t = Variable.of(targets);
        Variable softTerm = logits.abs().neg().exp().add(1f).log().add(logits.neg().relu());
        Variable per = posWeight == 1f
                ? softTerm.add(logits).sub(logits.mul(t))
                : logits.mul(Variable.of(targets.affine(-1f, 1f)))
                        .add(softTerm.mul(Variable.of(targets.affine(posWeight - 1f, 1f))));
        return reduce(per, reduction);
    }
}
