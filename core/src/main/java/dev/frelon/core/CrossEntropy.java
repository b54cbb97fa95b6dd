package dev.frelon.core;

import dev.frelon.core.kernel.ElementwiseKernels;
import dev.frelon.core.kernel.Kernels;
import dev.frelon.core.kernel.Parallel;
import dev.frelon.core.kernel.SoftmaxKernels;

/**
 * Softmax cross-entropy on logits with class-index targets, forward and gradient fused: one pass computes
 * the log-softmax, the loss and keeps the probabilities the gradient needs. Semantics match PyTorch's
 * {@code cross_entropy}:
 *
 * <pre>
 *   logp = logSoftmax(z)                              z: [N, C] logits, y: [N] class indices
 *   l_i  = (1−ε)·(−w[y_i]·logp[i, y_i]) + (ε/C)·Σ_c (−w[c]·logp[i, c])      (0 where y_i == ignoreIndex)
 *   mean = Σ_i l_i / Σ_{i not ignored} w[y_i]       sum = Σ_i l_i          none = [l_i]
 *   ∂l_i/∂z_ij = (1−ε)·w[y_i]·(p_ij − [j = y_i]) + (ε/C)·(W·p_ij − w[j]),   W = Σ_c w[c]
 * </pre>
 * with class weights {@code w} (all 1 when absent) and label smoothing {@code ε}.
 */
public final class CrossEntropy {

    /**
     * Options of the loss.
     *
     * @param reduction how per-sample losses combine
     * @param classWeights {@code [C]} weights, or null for all ones
     * @param ignoreIndex target value whose samples contribute nothing (use a negative value never seen to disable)
     * @param labelSmoothing ε in [0, 1)
     */
    public record Options(Reduction reduction, Tensor classWeights, int ignoreIndex, float labelSmoothing) {
        /** Checks the ranges. */
        public Options {
            if (reduction == null) {
                throw new IllegalArgumentException("crossEntropy: reduction must not be null");
            }
            if (!(labelSmoothing >= 0f && labelSmoothing < 1f)) {
                throw new IllegalArgumentException("crossEntropy: labelSmoothing must be in [0, 1), got " + labelSmoothing);
            }
        }

        /** The defaults: mean reduction, no weights, ignore index -100 (as PyTorch), no smoothing. */
        public static final Options DEFAULT = new Options(Reduction.MEAN, null, -100, 0f);

        /**
         * Returns a copy of these options with another reduction.
         *
         * @param r how per-sample losses combine
         * @return a copy with that reduction
         * @throws IllegalArgumentException if {@code r} is null
         */
        public Options withReduction(Reduction r) { return new Options(r, classWeights, ignoreIndex, labelSmoothing); }

        /**
         * Returns a copy of these options with other class weights (checked against the number of classes in
         * {@link CrossEntropy#forward}).$
         *
         * @param w class weights {@code [C]}, or null for all ones
         * @return a copy with those weights
         */
        public Options withClassWeights(Tensor w) { return new Options(reduction, w, ignoreIndex, labelSmoothing); }

        /**
         * Returns a copy of these options with another ignore index.
         *
         * @param i the target value whose samples contribute nothing
         * @return a copy with that ignore index
         */
        public Options withIgnoreIndex(int i) { return new Options(reduction, classWeights, i, labelSmoothing); }

        /**
         * Returns a copy of these options with another label smoothing.
         *
         * @param eps label smoothing ε in [0, 1)
         * @return a copy with that smoothing
         * @throws IllegalArgumentException if {@code eps} is outside [0, 1)
         */
        public Options withLabelSmoothing(float eps) { return new Options(reduction, classWeights, ignoreIndex, eps); }
    }

    /**
     * The forward result and what the gradient needs.
     *
     * @param loss 0-d for MEAN and SUM, {@code [N]} for NONE
     * @param probabilities softmax of the logits, {@code [N, C]}
     * @param targets the class indices as ints
     * @param options the options used
     * @param denominator what a MEAN loss was divided by
     */
    public record Result(Tensor loss, Tensor probabilities, int[] targets, Options options, float denominator) {
    }

    private CrossEntropy() {
    }

    /**
     * Computes the loss of {@code [N, C]} logits against {@code [N]} class indices, as in the class description, and
     * keeps the softmax probabilities {@link #backward} needs. A MEAN over only ignored samples is NaN (0/0), as in
     * PyTorch.
     *
     * @param logits {@code [N, C]}
     * @param targets {@code [N]} integer class indices in [0, C) (or the ignore index)
     * @param options reduction, weights, ignore index, label smoothing
     * @return the loss and the saved state for {@link #backward}
     * @throws IllegalArgumentException if the logits are not 2-d, the targets not {@code [N]}, or the class weights not
     *         {@code [C]}
     * @throws IndexOutOfBoundsException if a target is neither an integer in [0, C) nor the ignore index
     */
    public static Result forward(Tensor logits, Tensor targets, Options options) {
        Elements.requireFloat32("crossEntropy", logits);
        if (logits.dim() != 2) {
            throw new IllegalArgumentException("crossEntropy: logits must be [N, C], got " + Shape.str(logits.shape));
        }
        int n = logits.shape[0], c = logits.shape[1];
        if (targets.dim() != 1 || targets.shape[0] != n) {
            throw new IllegalArgumentException("crossEntropy: targets must be [" + n + "] for logits "
                    + Shape.str(logits.shape) + ", got " + Shape.str(targets.shape));
        }
        float[] w = weights(options, c); // null: all ones
        int[] y = ClassIndices.read("crossEntropy", "target", targets, c, options.ignoreIndex());
        Tensor z = logits.contiguous();
        Tensor p = Tensor.zeros(n, c);
        float[] per = new float[n];
        float eps = options.labelSmoothing();
        double wAll = weightTotal(w, c);
        Parallel.forRange(0, n, Math.max(1, 4096 / Math.max(1, c)), (lo, hi) -> {
            SoftmaxKernels k = SoftmaxKernels.CHOSEN;
            ElementwiseKernels e = ElementwiseKernels.CHOSEN;
            for (int i = lo; i < hi; i++) {
                int off = z.offset + i * c, pOff = i * c;
                // The exponentials go straight from the logits into p: p = e^(z − max) / Σ, and
                // log p_j = (z_j − max) − log Σ, in two roundings as in Tensor.logSoftmax (z_j − (max + log Σ)
                // would lose log Σ's digits beside a large max).
                float max = k.max(z.data, off, c);
                boolean ignored = y[i] == options.ignoreIndex();
                float zy = ignored ? 0f : z.data[off + y[i]];
                double wz = 0;
                if (eps > 0 && !ignored) {
                    for (int j = 0; j < c; j++) {
                        wz += weight(w, j) * (z.data[off + j] - max);
                    }
                }
                float sum = k.expShiftSum(z.data, off, c, max, p.data, pOff);
                float logSum = (float) Math.log(sum);
                if (ignored) {
                    per[i] = 0f;
                } else {
                    float logPy = (zy - max) - logSum;
                    double smooth = eps > 0 ? -(wz - (double) logSum * wAll) : 0;
                    per[i] = (float) ((1 - eps) * (-weight(w, y[i]) * logPy) + eps / c * smooth);
                }
                e.affine(p.data, pOff, 1, 1f / sum, 0f, p.data, pOff, c);
            }
        });
        double denom = 0, total = 0;
        for (int i = 0; i < n; i++) {
            total += per[i];
            if (y[i] != options.ignoreIndex()) {
                denom += weight(w, y[i]);
            }
        }
        Tensor loss = switch (options.reduction()) {
            case MEAN -> Tensor.scalar((float) (total / denom));
            case SUM -> Tensor.scalar((float) total);
            case NONE -> Tensor.wrap(per, n);
        };
        return new Result(loss, p, y, options, (float) denom);
    }

    /**
     * The gradient with respect to the logits: {@code gradLoss} times the {@code ∂l_i/∂z_ij} of the class description,
     * divided by the denominator for MEAN; rows of ignored samples are 0.
     *
     * @param saved the forward's result
     * @param gradLoss gradient of the loss: 0-d for MEAN/SUM, {@code [N]} for NONE
     * @return gradient with respect to the logits, {@code [N, C]}, a new dense tensor
     * @throws IllegalArgumentException if {@code gradLoss} does not have one element (MEAN, SUM) or N elements (NONE)
     */
    public static Tensor backward(Result saved, Tensor gradLoss) {
        Tensor p = saved.probabilities().contiguous();
        int n = p.shape[0], c = p.shape[1];
        Options o = saved.options();
        float[] w = weights(o, c); // null: all ones
        float[] g = gradLoss.toArray();
        boolean perSample = o.reduction() == Reduction.NONE;
        if (g.length != (perSample ? n : 1)) {
            throw new IllegalArgumentException("crossEntropy backward: gradient has shape " + Shape.str(gradLoss.shape)
                    + ", expected " + (perSample ? "[" + n + "]" : "[]"));
        }
        float scale = o.reduction() == Reduction.MEAN ? 1f / saved.denominator() : 1f;
        float eps = o.labelSmoothing(), k = eps / c;
        float wTotal = (float) weightTotal(w, c);
        Tensor dz = Tensor.zeros(n, c);
        int[] y = saved.targets();
        Parallel.forRange(0, n, Math.max(1, 4096 / Math.max(1, c)), (lo, hi) -> {
            ElementwiseKernels e = ElementwiseKernels.CHOSEN;
            for (int i = lo; i < hi; i++) {
                if (y[i] == o.ignoreIndex()) {
                    continue;
                }
                float s = (perSample ? g[i] : g[0]) * scale;
                float wy = weight(w, y[i]) * (1 - eps);
                int off = i * c;
                // dz_j = s·(wy·p_j + k·(W·p_j − w_j)) = s·(wy + k·W)·p_j − s·k·w_j: one affine pass over the row,
                // plus an axpy of the class weights when they are not all one.
                e.affine(p.data, p.offset + off, 1, s * (wy + k * wTotal), w == null ? -s * k : 0f, dz.data, off, c);
                if (w != null && eps > 0) {
                    e.axpy(-s * k, w, 0, dz.data, off, c);
                }
                dz.data[off + y[i]] -= s * wy;
            }
        });
        return dz;
    }

    /** The weight of class j: 1 when there are no class weights. */
    private static float weight(float[] w, int j) {
        return w == null ? 1f : w[j];
    }

    private static double weightTotal(float[] w, int c) {
        if (w == null) {
            return c;
        }
        double total = 0;
        for (float v : w) {
            total += v;
        }
        return total;
    }

    /** The class weights as an array, or null when there are none (all ones). */
    private static float[] weights(Options o, int c) {
        if (o.classWeights() == null) {
            return null;
        }
        if (o.classWeights().dim() != 1 || o.classWeights().shape[0] != c) {
            throw new IllegalArgumentException("crossEntropy: class weights must be [" + c + "], got "
                    + Shape.str(o.classWeights().shape));
        }
        return o.classWeights().toArray();
    }
}
