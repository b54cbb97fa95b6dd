package dev.frelon.autodiff;

import dev.frelon.core.Conv2dSpec;
import dev.frelon.core.Convolution;
import dev.frelon.core.Tensor;
import dev.frelon.core.TransposedConvolution;
import dev.frelon.core.Upsampling;

/** The differentiable ops generators grow images with: transposed convolution and upsampling. */
final class GenerativeFunctions {
    private GenerativeFunctions() {
    }

    /** Transposed convolution of input, weight and optional bias; its gradients are convolutions. */
    static final class ConvTranspose2d extends Function {
        private final Conv2dSpec spec;
        private final int outPadH, outPadW;
        private final boolean hasBias;
        ConvTranspose2d(Conv2dSpec spec, int outPadH, int outPadW, boolean hasBias) {
            this.spec = spec; this.outPadH = outPadH; this.outPadW = outPadW; this.hasBias = hasBias;
        }
        @Override protected Tensor forward(Context ctx, Tensor... in) {
            ctx.save(in[0], in[1]);
            return TransposedConvolution.forward(in[0], in[1], hasBias ? in[2] : null, spec, outPadH, outPadW);
        }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor x = ctx.saved(0), w = ctx.saved(1);
            Tensor[] grads = new Tensor[hasBias ? 3 : 2];
            if (ctx.needsInputGrad(0)) {
                grads[0] = ctx.fresh(TransposedConvolution.backwardInput(g, w, spec));
            }
            if (ctx.needsInputGrad(1)) {
                grads[1] = ctx.fresh(TransposedConvolution.backwardWeight(g, x, w.shape(), spec));
            }
            if (hasBias && ctx.needsInputGrad(2)) {
                grads[2] = Convolution.conv2dBackwardBias(g);
            }
            return grads;
        }
        @Override public String name() { return "ConvTranspose2d"; }
    }

    /** Nearest or bilinear resizing to a fixed size. */
    static final class Upsample extends Function {
        private final int oh, ow;
        private final boolean bilinear, alignCorners;
        Upsample(int oh, int ow, boolean bilinear, boolean alignCorners) {
            this.oh = oh; this.ow = ow; this.bilinear = bilinear; this.alignCorners = alignCorners;
        }
        @Override protected Tensor forward(Context ctx, Tensor... in) {
            return bilinear ? Upsampling.bilinear(in[0], oh, ow, alignCorners) : Upsampling.nearest(in[0], oh, ow);
        }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            int[] shape = ctx.inputShape(0);
            return new Tensor[] {bilinear ? Upsampling.bilinearBackward(g, shape, alignCorners)
                    : Upsampling.nearestBackward(g, shape)};
        }
        @Override public String name() { return bilinear ? "UpsampleBilinear" : "UpsampleNearest"; }
    }
}
