package dev.frelon.autodiff;

import dev.frelon.core.ClassIndices;
import dev.frelon.core.Conv2dSpec;
import dev.frelon.core.Pool2dSpec;
import dev.frelon.core.CrossEntropy;
import dev.frelon.core.DType;
import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;

import java.util.Arrays;

/**
 * Differentiable neural-network operations on {@link Variable}s, built on the core kernels: the fully
 * connected product, convolution, pooling, batch normalisation, the fused softmax cross-entropy and dropout
 * (PyTorch's {@code torch.nn.functional}). Layers in the
 * {@code nn} module are thin wrappers over these.
 */
public final class NeuralOps {
    private NeuralOps() {
    }

    /**
     * {@code y = x·Wᵀ + b}.
     *
     * @param x {@code [..., in]}
     * @param weight {@code [out, in]}
     * @param bias {@code [out]}, or null
     * @return {@code [..., out]}
     */
    public static Variable linear(Variable x, Variable weight, Variable bias) {
        return bias == null ? new LinearFunctions.Linear(false).apply(x, weight)
                : new LinearFunctions.Linear(true).apply(x, weight, bias);
    }

    /**
     * 2-d convolution (see {@link dev.frelon.core.Convolution} for shapes).
     *
     * @param x {@code [N, C, H, W]}
     * @param weight {@code [OC, C/groups, KH, KW]}
     * @param bias {@code [OC]}, or null
     * @param spec stride, padding, dilation, groups
     * @return {@code [N, OC, OH, OW]}
     */
    public static Variable conv2d(Variable x, Variable weight, Variable bias, Conv2dSpec spec) {
        return bias == null ? new NeuralFunctions.Conv2d(spec, false).apply(x, weight)
                : new NeuralFunctions.Conv2d(spec, true).apply(x, weight, bias);
    }

    /**
     * Scaled dot-product attention, fused, as PyTorch's {@code F.scaled_dot_product_attention}:
     * {@code dropout(softmax(Q·Kᵀ/√D + mask))·V}, never storing the {@code Tq × Tk} weights (see
     * {@link dev.frelon.core.Attention}).
     *
     * @param q {@code [..., Tq, D]}
     * @param k {@code [..., Tk, D]}
     * @param v {@code [..., Tk, Dv]}
     * @param mask an additive mask broadcast to {@code [..., Tq, Tk]} ({@code -inf} where a query may not look, as
     *     a boolean mask filled with {@code -inf} gives), or null
     * @param causal query i sees keys j ≤ i only
     * @param dropout the probability of dropping each attention weight, in [0, 1)
     * @param rng draws the dropout seed (may be null when {@code dropout} is 0)
     * @return {@code [..., Tq, Dv]}
     */
    public static Variable scaledDotProductAttention(Variable q, Variable k, Variable v, Tensor mask, boolean causal,
                                                     double dropout, Rng rng) {
        if (dropout > 0 && rng == null) {
            throw new IllegalArgumentException("scaledDotProductAttention: dropout " + dropout + " needs a generator");
        }
        long seed = dropout > 0 ? rng.nextLong() : 0;
        // A 0-d q has no D: Attention.forward refuses it with a message that names the op.
        float scale = (float) (1 / Math.sqrt(Math.max(1, q.dim() == 0 ? 1 : q.size(-1))));
        return new AttentionFunction(mask, causal, dropout, seed, scale).apply(q, k, v);
    }

    /**
     * Scaled dot-product attention without dropout.
     *
     * @param q {@code [..., Tq, D]}
     * @param k {@code [..., Tk, D]}
     * @param v {@code [..., Tk, Dv]}
     * @param mask an additive mask broadcast to {@code [..., Tq, Tk]}, or null
     * @param causal query i sees keys j ≤ i only
     * @return {@code [..., Tq, Dv]}
     */
    public static Variable scaledDotProductAttention(Variable q, Variable k, Variable v, Tensor mask, boolean causal) {
        return scaledDotProductAttention(q, k, v, mask, causal, 0, null);
    }

    /**
     * 2-d transposed convolution, as PyTorch's {@code F.conv_transpose2d} (see
     * {@link dev.frelon.core.TransposedConvolution} for the shapes and the maths).
     *
     * @param x {@code [N, Cin, H, W]}
     * @param weight {@code [Cin, Cout/groups, KH, KW]}
     * @param bias {@code [Cout]}, or null
     * @param spec stride, padding, dilation, groups
     * @param outPadH extra output rows at the bottom, less than the vertical stride
     * @param outPadW extra output columns at the right
     * @return {@code [N, Cout, OH, OW]}
     */
    public static Variable convTranspose2d(Variable x, Variable weight, Variable bias, Conv2dSpec spec, int outPadH,
                                           int outPadW) {
        return bias == null ? new GenerativeFunctions.ConvTranspose2d(spec, outPadH, outPadW, false).apply(x, weight)
                : new GenerativeFunctions.ConvTranspose2d(spec, outPadH, outPadW, true).apply(x, weight, bias);
    }

    /**
     * Resizes images, as PyTorch's {@code F.interpolate(x, size, mode)} with mode 'nearest' or 'bilinear' (see
     * {@link dev.frelon.core.Upsampling}).
     *
     * @param x {@code [N, C, H, W]}
     * @param oh output height, at least 1
     * @param ow output width, at least 1
     * @param bilinear bilinear interpolation rather than nearest neighbour
     * @param alignCorners PyTorch's {@code align_corners} (bilinear only)
     * @return {@code [N, C, oh, ow]}
     */
    public static Variable upsample(Variable x, int oh, int ow, boolean bilinear, boolean alignCorners) {
        return new GenerativeFunctions.Upsample(oh, ow, bilinear, alignCorners).apply(x);
    }

    /**
     * 2-d max pooling, as PyTorch's {@code F.max_pool2d}: each output is the largest input in its window
     * (padding never wins); the gradient goes to that position.
     *
     * @param x {@code [N, C, H, W]}
     * @param spec window size, stride, padding, dilation
     * @return {@code [N, C, OH, OW]} with {@code OH = (H + 2·pad − dil·(k − 1) − 1)/stride + 1}
     */
    public static Variable maxPool2d(Variable x, Pool2dSpec spec) {
        return new NeuralFunctions.MaxPool2d(spec).apply(x);
    }

    /**
     * 2-d max pooling over {@code kernel × kernel} windows with stride {@code kernel}, PyTorch's
     * {@code F.max_pool2d(x, kernel)}.
     *
     * @param x {@code [N, C, H, W]}
     * @param kernel window size and stride
     * @return {@code [N, C, H/kernel, W/kernel]} (rounded down)
     */
    public static Variable maxPool2d(Variable x, int kernel) {
        return maxPool2d(x, Pool2dSpec.of(kernel));
    }

    /**
     * 2-d average pooling, as PyTorch's {@code F.avg_pool2d} (padding counts as zeros in the mean).
     *
     * @param x {@code [N, C, H, W]}
     * @param spec window size, stride and padding (no dilation)
     * @return {@code [N, C, OH, OW]}
     */
    public static Variable avgPool2d(Variable x, Pool2dSpec spec) {
        return new NeuralFunctions.AvgPool2d(spec).apply(x);
    }

    /**
     * 2-d average pooling over non-overlapping {@code kernel × kernel} windows with stride {@code kernel}, no
     * padding, as PyTorch's {@code F.avg_pool2d(x, kernel)}.
     *
     * @param x {@code [N, C, H, W]}
     * @param kernel window size and stride
     * @return the means of {@code kernel × kernel} windows, {@code [N, C, H/kernel, W/kernel]} (rounded down)
     */
    public static Variable avgPool2d(Variable x, int kernel) {
        return avgPool2d(x, Pool2dSpec.of(kernel));
    }

    /**
     * Batch normalisation over dim 1 (channels), as PyTorch's {@code F.batch_norm}:
     *
     * <pre>
     *   training: y = (x − mean_B) / √(var_B + eps) · γ + β      mean_B, var_B over every dim but 1 (var biased)
     *             running = (1 − momentum)·running + momentum·batch   (the running variance takes the unbiased var)
     *   eval:     y = (x − running_mean) / √(running_var + eps) · γ + β
     * </pre>
     *
     * @param x {@code [N, C]} or {@code [N, C, ...]}
     * @param runningMean {@code [C]}, updated in place in training; null to keep no statistics (training only)
     * @param runningVar {@code [C]}, updated in place in training; null together with runningMean
     * @param weight γ {@code [C]}, or null for ones
     * @param bias β {@code [C]}, or null for zeros
     * @param training normalise by the batch's statistics (and update the running ones) rather than the running ones
     * @param momentum weight of the batch in the running statistics, in [0, 1]
     * @param eps added to the variance, &gt; 0
     * @return normalised x, same shape
     * @throws IllegalArgumentException on shapes that do not match C, a batch with one value per channel in
     *         training, or missing running statistics in eval
     */
    public static Variable batchNorm(Variable x, Tensor runningMean, Tensor runningVar, Variable weight, Variable bias,
                                     boolean training, float momentum, float eps) {
        if (x.dim() < 2) {
            throw new IllegalArgumentException("batchNorm: input must be [N, C, ...], got shape " + Arrays.toString(x.shape()));
        }
        int c = x.size(1);
        for (Tensor t : new Tensor[] {x.data(), runningMean, runningVar, weight == null ? null : weight.data(),
                bias == null ? null : bias.data()}) {
            if (t != null && !t.dtype().isFloatingPoint()) {
                throw new IllegalArgumentException("batchNorm: the input, running statistics, weight and bias must be"
                        + " float32 or float64, got a " + t.dtype() + " tensor of shape " + Arrays.toString(t.shape()));
            }
        }
        checkChannels("running mean", runningMean == null ? null : runningMean.shape(), c, x);
        checkChannels("running var", runningVar == null ? null : runningVar.shape(), c, x);
        checkChannels("weight", weight == null ? null : weight.shape(), c, x);
        checkChannels("bias", bias == null ? null : bias.shape(), c, x);
        if ((runningMean == null) != (runningVar == null)) {
            throw new IllegalArgumentException("batchNorm: give both running statistics or neither");
        }
        if (!training && runningMean == null) {
            throw new IllegalArgumentException("batchNorm: evaluation (training = false) needs the running mean and var");
        }
        if (!(momentum >= 0 && momentum <= 1) || !(eps > 0)) {
            throw new IllegalArgumentException("batchNorm: need momentum in [0, 1] and eps > 0, got " + momentum + " and " + eps);
        }
        int[] dims = new int[x.dim() - 1];
        for (int d = 2; d < x.dim(); d++) {
            dims[d - 1] = d;
        }
        int[] bshape = new int[x.dim()];
        Arrays.fill(bshape, 1);
        bshape[1] = c;
        Variable normalized;
        if (training) {
            long count = 1; // values per channel: every dim but 1 (so that an input with no channels still counts)
            for (int d = 0; d < x.dim(); d++) {
                count *= d == 1 ? 1 : x.size(d);
            }
            if (count < 2) {
                throw new IllegalArgumentException("batchNorm: training needs more than one value per channel, got shape "
                        + Arrays.toString(x.shape()));
            }
            Variable mean = x.mean(dims, true);
            Variable centered = x.sub(mean);
            Variable var = centered.square().mean(dims, true);
            normalized = centered.div(var.add(eps).sqrt());
            if (runningMean != null) {
                try (var _ = Grad.noGrad()) {
                    runningMean.mulInPlace(1 - momentum).addInPlace(mean.data().reshape(c), momentum);
                    runningVar.mulInPlace(1 - momentum).addInPlace(var.data().reshape(c), momentum * count / (float) (count - 1));
                }
            }
        } else {
            Tensor scale = runningVar.add(eps).sqrt().reciprocal().reshape(bshape);
            normalized = x.sub(Variable.of(runningMean.reshape(bshape))).mul(Variable.of(scale));
        }
        Variable scaled = weight == null ? normalized : normalized.mul(weight.reshape(bshape));
        return bias == null ? scaled : scaled.add(bias.reshape(bshape));
    }

    private static void checkChannels(String what, int[] shape, int c, Variable x) {
        if (shape != null && (shape.length != 1 || shape[0] != c)) {
            throw new IllegalArgumentException("batchNorm: " + what + " must be [" + c + "] for input of shape "
                    + Arrays.toString(x.shape()) + ", got " + Arrays.toString(shape));
        }
    }

    /**
     * Adaptive 2-d average pooling to a fixed output size, as PyTorch's {@code F.adaptive_avg_pool2d}: output
     * cell (i, j) averages input rows {@code floor(i·H/oh) .. ceil((i+1)·H/oh) − 1} and the matching columns,
     * so that windows may differ in size and overlap; the gradient spreads each output's gradient evenly over
     * its window.
     *
     * @param x {@code [N, C, H, W]}
     * @param oh output height, at least 1
     * @param ow output width, at least 1
     * @return {@code [N, C, oh, ow]}
     */
    public static Variable adaptiveAvgPool2d(Variable x, int oh, int ow) {
        return new NeuralFunctions.AdaptiveAvgPool2d(oh, ow).apply(x);
    }

    /**
     * Softmax cross-entropy on logits, fused and stable (see {@link CrossEntropy} for the formula). Float32 logits
     * take the fused kernel; float64 logits the same formula composed of float64 operations (log-softmax, gather,
     * sums), whose gradient autodiff derives.
     *
     * @param logits {@code [N, C]}, float32 or float64
     * @param targets {@code [N]} class indices: int64, int32, or floats holding integers
     * @param options reduction, class weights, ignore index, label smoothing
     * @return the loss
     */
    public static Variable crossEntropy(Variable logits, Tensor targets, CrossEntropy.Options options) {
        if (logits.data().dtype() == DType.FLOAT64) {
            return composedCrossEntropy(logits, targets, options);
        }
        return new NeuralFunctions.SoftmaxCrossEntropy(targets, options).apply(logits);
    }

    /**
     * {@link CrossEntropy}'s formula in float64 operations:
     * {@code l_i = keep_i·((1−ε)·(−w[y_i]·logp[i, y_i]) + (ε/C)·Σ_c (−w[c]·logp[i, c]))}, reduced as the options say
     * (the mean divides by the kept samples' weights).
     */
    private static Variable composedCrossEntropy(Variable logits, Tensor targets, CrossEntropy.Options options) {
        if (logits.dim() != 2) {
            throw new IllegalArgumentException("crossEntropy: logits must be [N, C], got " + Arrays.toString(logits.shape()));
        }
        int n = logits.size(0), c = logits.size(1);
        if (targets.dim() != 1 || targets.size(0) != n) {
            throw new IllegalArgumentException("crossEntropy: targets must be [" + n + "] for logits "
                    + Arrays.toString(logits.shape()) + ", got " + Arrays.toString(targets.shape()));
        }
        int[] y = ClassIndices.read("crossEntropy", "target", targets, c, options.ignoreIndex());
        double[] w = new double[c];
        Arrays.fill(w, 1);
        if (options.classWeights() != null) {
            if (options.classWeights().numel() != c || options.classWeights().dim() != 1) {
                throw new IllegalArgumentException("crossEntropy: class weights must be [" + c + "], got "
                        + Arrays.toString(options.classWeights().shape()));
            }
            w = options.classWeights().toDoubleArray();
        }
        long[] picked = new long[n];
        double[] pickedWeight = new double[n], keep = new double[n];
        boolean[] ignoredRow = new boolean[n];
        double kept = 0;
        for (int i = 0; i < n; i++) {
            boolean ignored = y[i] == options.ignoreIndex();
            picked[i] = ignored ? 0 : y[i]; // any valid column: its weight below is 0
            keep[i] = ignored ? 0 : 1;
            ignoredRow[i] = ignored;
            pickedWeight[i] = ignored ? 0 : w[y[i]];
            kept += pickedWeight[i];
        }
        double eps = options.labelSmoothing();
        if (c == 0) {
            // No classes: every target was the ignore index (ClassIndices refused the rest), so every loss is 0 and
            // their mean 0/0 = NaN, as the fused kernel gives.
            Variable zeros = logits.sum(1).mul(0.0);
            return switch (options.reduction()) {
                case NONE -> zeros;
                case SUM -> zeros.sum();
                case MEAN -> zeros.sum().div(kept);
            };
        }
        // Ignored rows are zeroed first: their weight 0 times a -inf log-probability would be NaN, where the fused
        // kernel skips them.
        Variable logp = logits.logSoftmax(1).maskedFill(Tensor.of(ignoredRow, n, 1), 0f);
        Variable nll = logp.gather(1, Tensor.of(picked, n, 1)).reshape(n).mul(Variable.of(Tensor.of(pickedWeight)))
                .neg();
        Variable per = nll.mul(1 - eps);
        if (eps > 0) {
            Variable smooth = logp.mul(Variable.of(Tensor.of(w, 1, c))).sum(1).neg().mul(Variable.of(Tensor.of(keep)));
            per = per.add(smooth.mul(eps / c));
        }
        return switch (options.reduction()) {
            case NONE -> per;
            case SUM -> per.sum();
            case MEAN -> per.sum().div(kept); // 0/0 = NaN when every sample is ignored, as in PyTorch
        };
    }

    /**
     * Softmax cross-entropy on logits with PyTorch's defaults ({@link CrossEntropy.Options#DEFAULT}): the mean
     * over the samples whose target is not -100 (those are ignored), no class weights, no label smoothing.
     *
     * @param logits {@code [N, C]}
     * @param targets {@code [N]} class indices
     * @return the mean cross-entropy, a scalar
     */
    public static Variable crossEntropy(Variable logits, Tensor targets) {
        return crossEntropy(logits, targets, CrossEntropy.Options.DEFAULT);
    }

    /**
     * Inverted dropout: in training, zeroes each element with probability p and scales the rest by
     * {@code 1/(1−p)}; otherwise the identity.
     *
     * @param x input
     * @param p drop probability in [0, 1)
     * @param rng source of the mask
     * @param training false returns x unchanged
     * @return the result
     */
    public static Variable dropout(Variable x, float p, Rng rng, boolean training) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("dropout: p must be in [0, 1), got " + p);
        }
        if (!training || p == 0f) {
            return x;
        }
        Tensor mask = Tensor.bernoulli(rng, 1f - p, x.shape()).mul(1f / (1f - p));
        return new NeuralFunctions.MaskMul(mask).apply(x);
    }
}
