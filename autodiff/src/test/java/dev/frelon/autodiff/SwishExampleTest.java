package dev.frelon.autodiff;

import dev.frelon.core.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The extension example of docs/extending.md: a new differentiable op is one small class, with no change to
 * the engine, checked by GradCheck.
 */
class SwishExampleTest {

    /** swish(x) = x·σ(x); d/dx = σ(x) + x·σ(x)·(1 − σ(x)). */
    static final class Swish extends Function {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            Tensor x = in[0], s = x.sigmoid();
            ctx.save(x, s);
            return x.mul(s);
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor grad) {
            Tensor x = ctx.saved(0), s = ctx.saved(1);
            return new Tensor[] {grad.mul(s.add(x.mul(s).mul(s.neg().add(1f))))};
        }
    }

    @Test
    void swishForwardAndGradient() {
        Variable x = Variable.parameter(Tensor.of(new float[] {-1f, 0f, 2f}));
        Variable y = new Swish().apply(x);
        double[] xs = {-1, 0, 2};
        float[] expectY = new float[3], expectG = new float[3];
        for (int i = 0; i < 3; i++) {
            double s = 1 / (1 + Math.exp(-xs[i]));
            expectY[i] = (float) (xs[i] * s);
            expectG[i] = (float) (s + xs[i] * s * (1 - s));
        }
        assertArrayEquals(expectY, y.data().toArray(), 1e-6f);
        y.sum().backward();
        assertArrayEquals(expectG, x.grad().toArray(), 1e-6f);
        GradCheck.Report r = GradCheck.check(v -> new Swish().apply(v[0]), Tensor.randn(new int[] {3, 4, 5}, 1));
        assertTrue(r.passed(), r.toString());
    }

    /** A custom loss written as one class: mean absolute error between two inputs. */
    static final class MeanAbsoluteError extends Function {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            Tensor diff = in[0].sub(in[1]);
            ctx.save(diff);
            return diff.abs().mean();
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor grad) {
            Tensor d = ctx.saved(0);
            Tensor g = d.sign().mul(grad.item() / d.numel());
            return new Tensor[] {ctx.needsInputGrad(0) ? g : null, ctx.needsInputGrad(1) ? g.neg() : null};
        }
    }

    @Test
    void customLossHasCorrectGradients() {
        Tensor a = Tensor.of(new float[] {0.3f, -1.2f, 2.5f, 0.9f});
        Tensor b = Tensor.of(new float[] {1.1f, -0.4f, 1.0f, -0.2f});
        assertTrue(GradCheck.check(v -> new MeanAbsoluteError().apply(v[0], v[1]), a, b).passed());
    }
}
