package dev.frelon.autodiff;

import dev.frelon.core.BackwardKernels;
import dev.frelon.core.DType;
import dev.frelon.core.Tensor;

/**
 * Elementwise ops and activations, each forward beside its backward rule. Binary ops return gradients in
 * the broadcast shape; the engine sums them back to each input's shape.
 */
final class ElementwiseFunctions {
    private ElementwiseFunctions() {
    }

    /** {@code a + b}: both gradients are g. */
    static final class Add extends Function {
        @Override protected Tensor forward(Context ctx, Tensor... in) { return in[0].add(in[1]); }
        @Override protected Tensor[] backward(Context ctx, Tensor g) { return new Tensor[] {g, g}; }
    }

    /** {@code a - b}: g and −g. */
    static final class Sub extends Function {
        @Override protected Tensor forward(Context ctx, Tensor... in) { return in[0].sub(in[1]); }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {g, ctx.needsInputGrad(1) ? g.neg() : null};
        }
    }

    /** {@code a · b}: g·b and g·a. */
    static final class Mul extends Function {
        @Override protected Tensor forward(Context ctx, Tensor... in) {
            ctx.save(in[0], in[1]);
            return in[0].mul(in[1]);
        }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {
                ctx.needsInputGrad(0) ? g.mul(ctx.saved(1)) : null,
                ctx.needsInputGrad(1) ? g.mul(ctx.saved(0)) : null};
        }
    }

    /** {@code a / b}: g/b and −g·a/b². */
    static final class Div extends Function {
        @Override protected Tensor forward(Context ctx, Tensor... in) {
            ctx.save(in[0], in[1]);
            return in[0].div(in[1]);
        }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor a = ctx.saved(0), b = ctx.saved(1);
            Tensor gb = g.div(b);
            return new Tensor[] {gb, ctx.needsInputGrad(1) ? gb.mul(a).div(b).neg() : null};
        }
    }

    /** {@code a ^ b} elementwise: g·b·a^(b−1) and g·a^b·ln a. */
    static final class Pow extends Function {
        @Override protected Tensor forward(Context ctx, Tensor... in) {
            Tensor y = in[0].pow(in[1]);
            ctx.save(in[0], in[1], y);
            return y;
        }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor a = ctx.saved(0), b = ctx.saved(1), y = ctx.saved(2);
            return new Tensor[] {
                ctx.needsInputGrad(0) ? g.mul(b).mul(a.pow(b.sub(1f))) : null,
                ctx.needsInputGrad(1) ? g.mul(y).mul(a.log()) : null};
        }
    }

    /** {@code x ^ p} for a constant p: g·p·x^(p−1). */
    static final class PowScalar extends Function {
        private final double p;
        PowScalar(double p) { this.p = p; }
        @Override protected Tensor forward(Context ctx, Tensor... in) {
            ctx.save(in[0]);
            return in[0].pow(p);
        }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor x = ctx.saved(0);
            Tensor d = p == 2 ? x.mul(2f) : x.pow(p - 1).mul(p);
            return new Tensor[] {g.mul(d)};
        }
    }

    /** {@code x·scale + shift} (scalar add, sub, mul, div): g·scale. */
    static final class Affine extends Function {
        private final double scale, shift;
        Affine(double scale, double shift) { this.scale = scale; this.shift = shift; }
        @Override protected Tensor forward(Context ctx, Tensor... in) { return in[0].affine(scale, shift); }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {scale == 1 ? g : g.mul(scale)};
        }
        @Override public String name() { return "Affine"; }
    }

    /** {@code e^x}: g·y. */
    static final class Exp extends Function {
        @Override protected Tensor forward(Context ctx, Tensor... in) {
            Tensor y = in[0].exp();
            ctx.save(y);
            return y;
        }
        @Override protected Tensor[] backward(Context ctx, Tensor g) { return new Tensor[] {g.mul(ctx.saved(0))}; }
    }

    /** {@code ln x}: g/x. */
    static final class Log extends Function {
        @Override protected Tensor forward(Context ctx, Tensor... in) {
            ctx.save(in[0]);
            return in[0].log();
        }
        @Override protected Tensor[] backward(Context ctx, Tensor g) { return new Tensor[] {g.div(ctx.saved(0))}; }
    }

    /** {@code √x}: g/(2y). */
    static final class Sqrt extends Function {
        @Override protected Tensor forward(Context ctx, Tensor... in) {
            Tensor y = in[0].sqrt();
            ctx.save(y);
            return y;
        }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {g.div(ctx.saved(0).mul(2f))};
        }
    }

    /** {@code |x|}: g·sign(x) (0 at 0). */
    static final class Abs extends Function {
        @Override protected Tensor forward(Context ctx, Tensor... in) {
            ctx.save(in[0]);
            return in[0].abs();
        }
        @Override protected Tensor[] backward(Context ctx, Tensor g) { return new Tensor[] {g.mul(ctx.saved(0).sign())}; }
    }

    /** {@code max(x, 0)}: g where x &gt; 0. */
    static final class Relu extends Function {
        @Override protected Tensor forward(Context ctx, Tensor... in) {
            Tensor y = in[0].relu();
            ctx.save(y);
            return y;
        }
        @Override protected Tensor[] backward(Context ctx, Tensor g) { return new Tensor[] {BackwardKernels.reluBackward(g, ctx.saved(0))}; }
    }

    /** {@code x} for x &gt; 0, else {@code slope·x}: g or g·slope. */
    static final class LeakyRelu extends Function {
        private final float slope;
        LeakyRelu(float slope) { this.slope = slope; }
        @Override protected Tensor forward(Context ctx, Tensor... in) {
            ctx.save(in[0]);
            return Tensor.where(in[0].gt(0f), in[0], in[0].mul(slope));
        }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {g.mul(Tensor.where(ctx.saved(0).gt(0f), 1f, slope))};
        }
    }

    /** {@code σ(x)}: g·y·(1−y). */
    static final class Sigmoid extends Function {
        @Override protected Tensor forward(Context ctx, Tensor... in) {
            Tensor y = in[0].sigmoid();
            ctx.save(y);
            return y;
        }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor y = ctx.saved(0);
            return new Tensor[] {g.mul(y).mul(y.affine(-1f, 1f))};
        }
    }

    /** {@code tanh x}: g·(1−y²). */
    static final class Tanh extends Function {
        @Override protected Tensor forward(Context ctx, Tensor... in) {
            Tensor y = in[0].tanh();
            ctx.save(y);
            return y;
        }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {g.mul(ctx.saved(0).square().affine(-1f, 1f))};
        }
    }

    /** Exact GELU {@code x·Φ(x)}: g·(Φ(x) + x·φ(x)). */
    static final class Gelu extends Function {
        // Doubles: a float32 tensor rounds them to the same floats as before, a float64 one keeps every digit.
        private static final double INV_SQRT2 = 1 / Math.sqrt(2);
        private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
        @Override protected Tensor forward(Context ctx, Tensor... in) {
            Tensor cdf = erf(in[0].mul(INV_SQRT2)).affine(0.5f, 0.5f);
            ctx.save(in[0], cdf);
            return in[0].mul(cdf);
        }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor x = ctx.saved(0), cdf = ctx.saved(1);
            Tensor pdf = x.square().mul(-0.5f).exp().mul(INV_SQRT_2PI);
            return new Tensor[] {g.mul(cdf.add(x.mul(pdf)))};
        }
    }

    /** GELU, tanh approximation: {@code 0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))}. */
    static final class GeluTanh extends Function {
        private static final float C = (float) Math.sqrt(2 / Math.PI);
        private static final float K = 0.044715f;
        @Override protected Tensor forward(Context ctx, Tensor... in) {
            Tensor x = in[0];
            Tensor t = x.add(x.pow(3f).mul(K)).mul(C).tanh();
            ctx.save(x, t);
            return x.mul(t.affine(0.5f, 0.5f));
        }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor x = ctx.saved(0), t = ctx.saved(1);
            Tensor inner = x.square().affine(3 * K * C, C);          // d/dx of C(x + Kx³)
            Tensor d = t.affine(0.5f, 0.5f).add(x.mul(t.square().affine(-1f, 1f)).mul(inner).mul(0.5f));
            return new Tensor[] {g.mul(d)};
        }
    }

    /** {@code ln(1 + e^(βx))/β}, linear above {@code threshold/β} as PyTorch: g·σ(βx). */
    static final class Softplus extends Function {
        private final float beta, threshold;
        Softplus(float beta, float threshold) { this.beta = beta; this.threshold = threshold; }
        @Override protected Tensor forward(Context ctx, Tensor... in) {
            Tensor bx = in[0].mul(beta);
            ctx.save(bx);
            // max(z, 0) + ln(1 + e^−|z|) is exact and never overflows.
            Tensor soft = bx.relu().add(bx.abs().neg().exp().add(1f).log()).div(beta);
            return Tensor.where(bx.gt(threshold), in[0], soft);
        }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor bx = ctx.saved(0);
            return new Tensor[] {g.mul(Tensor.where(bx.gt(threshold), Tensor.scalar(1f), bx.sigmoid()))};
        }
    }

    /** {@code clamp(x, lo, hi)}: g inside [lo, hi], 0 outside. */
    static final class Clamp extends Function {
        private final float lo, hi;
        Clamp(float lo, float hi) { this.lo = lo; this.hi = hi; }
        @Override protected Tensor forward(Context ctx, Tensor... in) {
            ctx.save(in[0]);
            return in[0].clamp(lo, hi);
        }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor x = ctx.saved(0);
            return new Tensor[] {g.mul(x.ge(lo).mul(x.le(hi)))};
        }
    }

    /** Elementwise maximum (or minimum): the gradient goes to the larger (smaller) input, split on ties. */
    static final class Extremum extends Function {
        private final boolean max;
        Extremum(boolean max) { this.max = max; }
        @Override protected Tensor forward(Context ctx, Tensor... in) {
            ctx.save(in[0], in[1]);
            return max ? in[0].maximum(in[1]) : in[0].minimum(in[1]);
        }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor a = ctx.saved(0), b = ctx.saved(1);
            Tensor wins = (max ? a.gt(b) : a.lt(b)).add(a.eq(b).mul(0.5f));
            return new Tensor[] {g.mul(wins), g.mul(wins.affine(-1f, 1f))};
        }
        @Override public String name() { return max ? "Maximum" : "Minimum"; }
    }

    /** {@code where(mask, a, b)}: g goes to a where mask holds, to b elsewhere. */
    static final class Where extends Function {
        private final Tensor mask;
        Where(Tensor mask) { this.mask = mask; }
        @Override protected Tensor forward(Context ctx, Tensor... in) { return Tensor.where(mask, in[0], in[1]); }
        @Override protected Tensor[] backward(Context ctx, Tensor g) {
            Tensor zero = Tensor.scalar(0f);
            return new Tensor[] {Tensor.where(mask, g, zero), Tensor.where(mask, zero, g)};
        }
    }

    /** {@code maskedFill(mask, value)}: g passes where the mask is false; the filled places are constants. */
    static final class MaskedFill extends Function {
        private final Tensor mask;
        private final double value;
        MaskedFill(Tensor mask, double value) { this.mask = mask; this.value = value; }
        @Override protected Tensor forward(Context ctx, Tensor... in) { return in[0].maskedFill(mask, value); }
        @Override protected Tensor[] backward(Context ctx, Tensor g) { return new Tensor[] {g.maskedFill(mask, 0)}; }
        @Override public String name() { return "MaskedFill"; }
    }

    /**
     * The error function, by Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7, under float32's
     * resolution near 1).
     */
    static Tensor erf(Tensor x) {
        if (x.dtype() == DType.FLOAT64) {
            // Commons Math's erf (pure Java, so the same bits in every JIT state), accurate to about 1e-15 where the
            // polynomial below stops at 1.5e-7.
            double[] v = x.toDoubleArray();
            for (int i = 0; i < v.length; i++) {
                v[i] = org.apache.commons.math3.special.Erf.erf(v[i]);
            }
            return Tensor.of(v).reshape(x.shape());
        }
        Tensor ax = x.abs();
        Tensor t = ax.mul(0.3275911f).add(1f).reciprocal();
        Tensor poly = t.mul(1.061405429f).add(-1.453152027f).mul(t).add(1.421413741f).mul(t)
                .add(-0.284496736f).mul(t).add(0.254829592f).mul(t);
        Tensor y = poly.mul(ax.square().neg().exp()).affine(-1f, 1f);
        return y.mul(x.sign());
    }
}
