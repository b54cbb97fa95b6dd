package dev.frelon.autodiff;

import dev.frelon.core.Conv2dSpec;
import dev.frelon.core.CrossEntropy;
import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;

/**
 * Differentiable neural-network operations on {@link Variable}s, built on the core kernels: the fully
 * connected product, convolution, pooling, the fused softmax cross-entropy and dropout. Layers in the
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
     * @param x {@code [N, C, H, W]}
     * @param kh window height
     * @param kw window width
     * @param spec stride, padding, dilation
     * @return max-pooled {@code [N, C, OH, OW]}
     */
    public static Variable maxPool2d(Variable x, int kh, int kw, Conv2dSpec spec) {
        return new NeuralFunctions.MaxPool2d(kh, kw, spec).apply(x);
    }

    /**
     * @param x {@code [N, C, H, W]}
     * @param kh window height
     * @param kw window width
     * @param spec stride and padding
     * @return average-pooled {@code [N, C, OH, OW]}
     */
    public static Variable avgPool2d(Variable x, int kh, int kw, Conv2dSpec spec) {
        return new NeuralFunctions.AvgPool2d(kh, kw, spec).apply(x);
    }

    /**
     * @param x {@code [N, C, H, W]}
     * @param oh output height
     * @param ow output width
     * @return {@code [N, C, oh, ow]}
     */
    public static Variable adaptiveAvgPool2d(Variable x, int oh, int ow) {
        return new NeuralFunctions.AdaptiveAvgPool2d(oh, ow).apply(x);
    }

    /**
     * Softmax cross-entropy on logits, fused and stable (see {@link CrossEntropy} for the formula).
     *
     * @param logits {@code [N, C]}
     * @param targets {@code [N]} class indices
     * @param options reduction, class weights, ignore index, label smoothing
     * @return the loss
     */
    public static Variable crossEntropy(Variable logits, Tensor targets, CrossEntropy.Options options) {
        return new NeuralFunctions.SoftmaxCrossEntropy(targets, options).apply(logits);
    }

    /**
     * @param logits {@code [N, C]}
     * @param targets {@code [N]} class indices
     * @return the mean cross-entropy
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
