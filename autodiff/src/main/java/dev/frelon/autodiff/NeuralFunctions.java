package dev.frelon.autodiff;

import dev.frelon.core.Conv2dSpec;
import dev.frelon.core.Pool2dSpec;
import dev.frelon.core.Convolution;
import dev.frelon.core.CrossEntropy;
import dev.frelon.core.Pooling;
import dev.frelon.core.Tensor;

/** Convolution, pooling, the fused softmax cross-entropy and dropout, on the core kernels. */
final class NeuralFunctions {
    private NeuralFunctions() {
    }

    /** 2-d convolution of input, weight and optional bias. */
    static final class Conv2d extends Function {
        private final Conv2dSpec spec;
        private final boolean hasBias;
        Conv2d(Conv2dSpec spec, boolean hasBias) { this.spec = spec; this.hasBias = hasBias; }
        @Override protected Tensor forward(Context ctx, Tensor... in) {
            ctx.save(in[0], in[1]);
            return Convolution.conv2d(in[0], in[1], hasBias ? in[2] : null, spec);
        }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor x = ctx.saved(0), w = ctx.saved(1);
            Tensor[] grads = new Tensor[hasBias ? 3 : 2];
            if (ctx.needsInputGrad(0)) {
                grads[0] = ctx.fresh(Convolution.conv2dBackwardInput(g, w, x.shape(), spec));
            }
            if (ctx.needsInputGrad(1)) {
                grads[1] = ctx.fresh(Convolution.conv2dBackwardWeight(g, x, w.shape(), spec));
            }
            if (hasBias && ctx.needsInputGrad(2)) {
                grads[2] = Convolution.conv2dBackwardBias(g);
            }
            return grads;
        }
    }

    /** Max pooling; remembers where each maximum came from. */
    static final class MaxPool2d extends Function {
        private final Pool2dSpec spec;
        private int[] argmax;
        MaxPool2d(Pool2dSpec spec) { this.spec = spec; }
        @Override protected Tensor forward(Context ctx, Tensor... in) {
            Pooling.MaxPoolResult r = Pooling.maxPool2d(in[0], spec);
            argmax = r.argmax();
            return r.output();
        }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {Pooling.maxPool2dBackward(g, argmax, ctx.inputShape(0))};
        }
    }

    /** Average pooling (padding counted as zeros). */
    static final class AvgPool2d extends Function {
        private final Pool2dSpec spec;
        AvgPool2d(Pool2dSpec spec) { this.spec = spec; }
        @Override protected Tensor forward(Context ctx, Tensor... in) { return Pooling.avgPool2d(in[0], spec); }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {Pooling.avgPool2dBackward(g, ctx.inputShape(0), spec)};
        }
    }

    /** Adaptive average pooling to a fixed output size. */
    static final class AdaptiveAvgPool2d extends Function {
        private final int oh, ow;
        AdaptiveAvgPool2d(int oh, int ow) { this.oh = oh; this.ow = ow; }
        @Override protected Tensor forward(Context ctx, Tensor... in) { return Pooling.adaptiveAvgPool2d(in[0], oh, ow); }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {Pooling.adaptiveAvgPool2dBackward(g, ctx.inputShape(0))};
        }
    }

    /** Softmax cross-entropy on logits, fused: the gradient reuses the probabilities of the forward. */
    static final class SoftmaxCrossEntropy extends Function {
        private final Tensor targets;
        private final CrossEntropy.Options options;
        private CrossEntropy.Result saved;
        SoftmaxCrossEntropy(Tensor targets, CrossEntropy.Options options) { this.targets = targets; this.options = options; }
        @Override protected Tensor forward(Context ctx, Tensor... in) {
            saved = CrossEntropy.forward(in[0], targets, options);
            return saved.loss();
        }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {CrossEntropy.backward(saved, g)};
        }
        @Override public String name() { return "CrossEntropy"; }
    }

    /** Multiplies by a fixed mask (dropout: 0 or 1/(1−p)): g·mask. */
    static final class MaskMul extends Function {
        private final Tensor mask;
        MaskMul(Tensor mask) { this.mask = mask; }
        @Override protected Tensor forward(Context ctx, Tensor... in) { return in[0].mul(mask); }
        @Override protected Tensor[] backward(Context ctx, Tensor g) { return new Tensor[] {g.mul(mask)}; }
        @Override public String name() { return "Dropout"; }
    }
}
