package dev.frelon.optim;

import dev.frelon.autodiff.Variable;
import dev.frelon.core.DType;
import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each update rule against an independent double-precision transcription of PyTorch's documented
 * algorithm, on a fixed gradient sequence; convergence on a convex quadratic; state-dict resumption.
 */
class OptimizerTest {

    private static final float[] P0 = {0.5f, -1.5f, 2.0f};
    /** Gradients for steps 1..4 (deterministic, varied in sign and size). */
    private static final float[][] GRADS = {{0.1f, -0.2f, 0.3f}, {-0.4f, 0.5f, 0.05f}, {0.25f, 0.1f, -0.6f}, {0.0f, -0.3f, 0.2f}};

    private static float[] run(Optimizer<?> opt, Variable p) {
        for (float[] g : GRADS) {
            p.setGrad(Tensor.of(g));
            opt.step();
        }
        return p.data().toArray();
    }

    private static Variable param() {
        return Variable.parameter(Tensor.of(P0));
    }

    private static void assertClose(double[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, Math.abs(expected[i])), "element " + i);
        }
    }

    @Test
    void sgdWithMomentumDampeningWeightDecay() {
        double lr = 0.1, mu = 0.9, tau = 0.1, wd = 0.01;
        double[] p = {0.5, -1.5, 2.0}, b = new double[3];
        for (int t = 0; t < GRADS.length; t++) {
            for (int i = 0; i < 3; i++) {
                double g = GRADS[t][i] + wd * p[i];
                b[i] = t == 0 ? g : mu * b[i] + (1 - tau) * g;
                p[i] -= lr * b[i];
            }
        }
        Variable v = param();
        assertClose(p, run(new SGD(List.of(v), lr, new SGD.Settings(mu, tau, wd, false)), v));
    }

    @Test
    void sgdNesterov() {
        double lr = 0.05, mu = 0.8;
        double[] p = {0.5, -1.5, 2.0}, b = new double[3];
        for (int t = 0; t < GRADS.length; t++) {
            for (int i = 0; i < 3; i++) {
                double g = GRADS[t][i];
                b[i] = t == 0 ? g : mu * b[i] + g;
                p[i] -= lr * (g + mu * b[i]);
            }
        }
        Variable v = param();
        assertClose(p, run(new SGD(List.of(v), lr, SGD.momentum(mu).withNesterov()), v));
    }

    @Test
    void plainSgdHandComputed() {
        Variable v = param();
        SGD opt = new SGD(List.of(v), 0.5);
        v.setGrad(Tensor.of(new float[] {1f, 2f, -4f}));
        opt.step();
        assertArrayEquals(new float[] {0f, -2.5f, 4f}, v.data().toArray(), 0f);
    }

    private static double[] adamReference(double lr, double b1, double b2, double eps, double wd, boolean ams,
                                          boolean decoupled) {
        double[] p = {0.5, -1.5, 2.0}, m = new double[3], v = new double[3], vmax = new double[3];
        for (int t = 1; t <= GRADS.length; t++) {
            for (int i = 0; i < 3; i++) {
                if (decoupled) {
                    p[i] *= 1 - lr * wd;
                }
                double g = GRADS[t - 1][i] + (decoupled ? 0 : wd * p[i]);
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double mhat = m[i] / (1 - Math.pow(b1, t));
                double vv = v[i];
                if (ams) {
                    vmax[i] = Math.max(vmax[i], v[i]);
                    vv = vmax[i];
                }
                double vhat = vv / (1 - Math.pow(b2, t));
                p[i] -= lr * mhat / (Math.sqrt(vhat) + eps);
            }
        }
        return p;
    }

    @Test
    void adamAdamWAndAmsgrad() {
        Variable a = param();
        assertClose(adamReference(0.01, 0.9, 0.999, 1e-8, 0, false, false), run(new Adam(List.of(a), 0.01), a));
        Variable b = param();
        assertClose(adamReference(0.02, 0.8, 0.99, 1e-6, 0.1, true, false),
                run(new Adam(List.of(b), 0.02, new Adam.Settings(0.8, 0.99, 1e-6, 0.1, true)), b));
        Variable c = param();
        assertClose(adamReference(0.01, 0.9, 0.999, 1e-8, 0.01, false, true), run(new AdamW(List.of(c), 0.01), c));
    }

    @Test
    void rmspropCenteredWithMomentum() {
        double lr = 0.01, alpha = 0.9, eps = 1e-8, wd = 0.05, mu = 0.5;
        double[] p = {0.5, -1.5, 2.0}, sq = new double[3], ga = new double[3], buf = new double[3];
        for (float[] grad : GRADS) {
            for (int i = 0; i < 3; i++) {
                double g = grad[i] + wd * p[i];
                sq[i] = alpha * sq[i] + (1 - alpha) * g * g;
                ga[i] = alpha * ga[i] + (1 - alpha) * g;
                double avg = Math.sqrt(sq[i] - ga[i] * ga[i]) + eps;
                buf[i] = mu * buf[i] + g / avg;
                p[i] -= lr * buf[i];
            }
        }
        Variable v = param();
        assertClose(p, run(new RMSprop(List.of(v), lr, new RMSprop.Settings(alpha, eps, wd, mu, true)), v));
    }

    @Test
    void adagradWithDecay() {
        double lr = 0.1, decay = 0.5, init = 0.1, eps = 1e-10;
        double[] p = {0.5, -1.5, 2.0}, s = {init, init, init};
        for (int t = 1; t <= GRADS.length; t++) {
            double clr = lr / (1 + (t - 1) * decay);
            for (int i = 0; i < 3; i++) {
                double g = GRADS[t - 1][i];
                s[i] += g * g;
                p[i] -= clr * g / (Math.sqrt(s[i]) + eps);
            }
        }
        Variable v = param();
        assertClose(p, run(new Adagrad(List.of(v), lr, new Adagrad.Settings(decay, 0, init, eps)), v));
    }

    /** f(p) = Σ a_i (p_i − c_i)², minimum at c. */
    private static void minimizeQuadratic(java.util.function.Function<Variable, Optimizer<?>> make, int steps, float tol) {
        Tensor a = Tensor.of(new float[] {1f, 4f, 0.5f});
        Tensor c = Tensor.of(new float[] {3f, -1f, 0.25f});
        Variable p = Variable.parameter(Tensor.zeros(3));
        Optimizer<?> opt = make.apply(p);
        for (int s = 0; s < steps; s++) {
            opt.zeroGrad();
            p.sub(Variable.of(c)).square().mul(Variable.of(a)).sum().backward();
            opt.step();
        }
        assertArrayEquals(c.toArray(), p.data().toArray(), tol);
    }

    @Test
    void everyOptimizerReachesTheQuadraticMinimum() {
        minimizeQuadratic(p -> new SGD(List.of(p), 0.05, SGD.momentum(0.9)), 500, 1e-4f);
        minimizeQuadratic(p -> new SGD(List.of(p), 0.05, SGD.momentum(0.9).withNesterov()), 500, 1e-4f);
        minimizeQuadratic(p -> new Adam(List.of(p), 0.05), 2000, 1e-3f);
        minimizeQuadratic(p -> new RMSprop(List.of(p), 0.01, RMSprop.DEFAULTS), 3000, 2e-2f);
        minimizeQuadratic(p -> new Adagrad(List.of(p), 0.5, Adagrad.DEFAULTS), 3000, 1e-3f);
    }

    @Test
    void stateDictRoundTripContinuesIdentically() {
        Supplier<Variable> fresh = () -> Variable.parameter(Tensor.randn(new Rng(5), 4, 3));
        Tensor[] grads = new Tensor[8];
        Rng rng = new Rng(9);
        for (int i = 0; i < grads.length; i++) {
            grads[i] = Tensor.randn(rng, 4, 3);
        }
        Variable a = fresh.get();
        Adam optA = new Adam(List.of(a), 0.01, Adam.DEFAULTS.withAmsgrad());
        for (int i = 0; i < 4; i++) {
            a.setGrad(grads[i]);
            optA.step();
        }
        Map<String, Tensor> saved = optA.stateDict();
        Tensor pSaved = a.data().copy();
        for (int i = 4; i < 8; i++) {
            a.setGrad(grads[i]);
            optA.step();
        }
        Variable b = Variable.parameter(pSaved);
        Adam optB = new Adam(List.of(b), 0.5, Adam.DEFAULTS.withAmsgrad());
        optB.loadStateDict(saved);
        assertEquals(0.01, optB.paramGroups().get(0).lr(), 1e-9);
        for (int i = 4; i < 8; i++) {
            b.setGrad(grads[i]);
            optB.step();
        }
        assertArrayEquals(a.data().toArray(), b.data().toArray(), 0f, "bit-identical trajectory after resuming");
    }

    @Test
    void gradientClipping() {
        Variable a = Variable.parameter(Tensor.zeros(2));
        Variable b = Variable.parameter(Tensor.zeros(1));
        a.setGrad(Tensor.of(new float[] {3f, 0f}));
        b.setGrad(Tensor.of(new float[] {4f}));
        double norm = GradClip.byNorm(List.of(a, b), 1.0);
        assertEquals(5.0, norm, 1e-6);
        assertArrayEquals(new float[] {0.6f, 0f}, a.grad().toArray(), 1e-6f);
        assertArrayEquals(new float[] {0.8f}, b.grad().toArray(), 1e-6f);
        b.setGrad(Tensor.of(new float[] {-7f}));
        GradClip.byValue(List.of(b), 2.0);
        assertArrayEquals(new float[] {-2f}, b.grad().toArray(), 0f);
    }

    @Test
    void badSettingsAreRejectedClearly() {
        Variable p = param();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(p), -0.1));
        assertTrue(e.getMessage().contains("learning rate") && e.getMessage().contains("-0.1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SGD.momentum(-0.5));
        assertTrue(e.getMessage().contains("momentum"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Adam.Settings(1.0, 0.999, 1e-8, 0, false));
        assertTrue(e.getMessage().contains("betas"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(
                new ParamGroup<>(List.of(p), 0.1, SGD.PLAIN), new ParamGroup<>(List.of(p), 0.2, SGD.PLAIN))));
        assertTrue(e.getMessage().contains("more than one parameter group"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SGD.momentum(0).withNesterov());
        assertTrue(e.getMessage().contains("Nesterov"), e.getMessage());
        Variable wide = Variable.parameter(Tensor.zeros(DType.FLOAT64, 2, 3));
        e = assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(wide), 0.1));
        assertEquals("Adam: a parameter of shape [2, 3] is float64; the optimizers update float32 parameters only",
                e.getMessage());
    }

    @Test
    void parametersWithoutGradientAreSkippedAndZeroGradClears() {
        Variable a = param(), b = param();
        SGD opt = new SGD(List.of(a, b), 1.0);
        a.setGrad(Tensor.ones(3));
        opt.step();
        assertArrayEquals(new float[] {-0.5f, -2.5f, 1f}, a.data().toArray(), 0f);
        assertArrayEquals(P0, b.data().toArray(), 0f);
        opt.zeroGrad();
        assertEquals(null, a.grad());
    }

    /** The one-method extension shown in the Optimizer Javadoc. */
    static final class SignSGD extends Optimizer<SignSGD.Settings> {
        record Settings() {
        }

        SignSGD(List<Variable> params, double lr) {
            super(List.of(new ParamGroup<>(params, lr, new Settings())));
        }

        @Override
        protected void update(Variable p, Tensor grad, ParamState state, ParamGroup<Settings> group) {
            p.data().addInPlace(grad.sign(), (float) -group.lr());
        }
    }

    @Test
    void aNewOptimizerIsOneMethod() {
        Variable v = param();
        SignSGD opt = new SignSGD(List.of(v), 0.25);
        v.setGrad(Tensor.of(new float[] {0.3f, -7f, 0f}));
        opt.step();
        assertArrayEquals(new float[] {0.25f, -1.25f, 2f}, v.data().toArray(), 0f);
    }
}
