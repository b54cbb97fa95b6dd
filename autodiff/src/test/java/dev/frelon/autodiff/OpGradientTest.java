package dev.frelon.autodiff;

import dev.frelon.core.Reduction;
import dev.frelon.core.Conv2dSpec;
import dev.frelon.core.Pool2dSpec;
import dev.frelon.core.CrossEntropy;
import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every built-in differentiable op against central finite differences, including broadcast operands and
 * non-contiguous (transposed, strided) inputs. Inputs avoid kinks (|x| away from 0 for relu/abs, distinct
 * values for max) so that finite differences are meaningful.
 */
class OpGradientTest {

    private static final Rng RNG = new Rng(2024);

    private static Tensor randn(int... shape) {
        return Tensor.randn(RNG, shape);
    }

    /** Normal values pushed away from 0 by at least 0.1, for ops with a kink there. */
    private static Tensor awayFromZero(int... shape) {
        Tensor t = randn(shape);
        return t.add(t.sign().mul(0.1f));
    }

    private static Tensor positive(int... shape) {
        return Tensor.uniform(RNG, 0.5f, 2f, shape);
    }

    /** A [rows, cols] tensor stored transposed: non-contiguous. */
    private static Tensor transposed(int rows, int cols) {
        return randn(cols, rows).t();
    }

    private static Arguments op(String name, GradCheck.Fn f, Supplier<Tensor[]> inputs) {
        return Arguments.of(Named.of(name, f), inputs);
    }

    static Stream<Arguments> ops() {
        Tensor labels = Tensor.of(new float[] {2, 0, 1, 2});
        return Stream.of(
                op("add broadcast", v -> v[0].add(v[1]), () -> new Tensor[] {randn(3, 1), randn(4)}),
                op("sub broadcast", v -> v[0].sub(v[1]), () -> new Tensor[] {randn(2, 3), randn(3)}),
                op("mul non-contiguous", v -> v[0].mul(v[1]), () -> new Tensor[] {transposed(3, 4), randn(1, 4)}),
                op("div", v -> v[0].div(v[1]), () -> new Tensor[] {randn(2, 3), positive(2, 3)}),
                op("pow tensor", v -> v[0].pow(v[1]), () -> new Tensor[] {positive(5), randn(5)}),
                op("pow scalar", v -> v[0].pow(3f), () -> new Tensor[] {randn(2, 3)}),
                op("scalar affine", v -> v[0].mul(2.5f).add(1f).sub(0.5f).div(4f).neg(), () -> new Tensor[] {randn(4)}),
                op("exp", v -> v[0].exp(), () -> new Tensor[] {randn(2, 3)}),
                op("log", v -> v[0].log(), () -> new Tensor[] {positive(2, 3)}),
                op("sqrt", v -> v[0].sqrt(), () -> new Tensor[] {positive(6)}),
                op("abs", v -> v[0].abs(), () -> new Tensor[] {awayFromZero(6)}),
                op("relu strided", v -> v[0].relu(), () -> new Tensor[] {awayFromZero(4, 6).slice(1, 0, 6, 2)}),
                op("leakyRelu", v -> v[0].leakyRelu(0.1f), () -> new Tensor[] {awayFromZero(8)}),
                op("sigmoid", v -> v[0].sigmoid(), () -> new Tensor[] {randn(2, 4)}),
                op("tanh", v -> v[0].tanh(), () -> new Tensor[] {randn(2, 4)}),
                op("gelu", v -> v[0].gelu(), () -> new Tensor[] {randn(10)}),
                op("geluTanh", v -> v[0].geluTanh(), () -> new Tensor[] {randn(10)}),
                op("softplus", v -> v[0].softplus(), () -> new Tensor[] {randn(10).mul(3f)}),
                op("clamp", v -> v[0].clamp(-0.5f, 0.5f), () -> new Tensor[] {Tensor.of(new float[] {-1.2f, -0.3f, 0.1f, 0.4f, 0.9f})}),
                op("maximum", v -> v[0].maximum(v[1]), () -> new Tensor[] {Tensor.of(new float[] {1, -2, 3}), Tensor.of(new float[] {0.5f, 0.5f, 4})}),
                op("minimum broadcast", v -> v[0].minimum(v[1]), () -> new Tensor[] {Tensor.of(new float[] {1, -2, 3}), Tensor.scalar(0.5f)}),
                op("maskedFill broadcast", v -> v[0].maskedFill(Tensor.of(new boolean[] {true, false, false}), -1f).exp(),
                        () -> new Tensor[] {randn(2, 3)}),
                op("topk", v -> v[0].topk(2, 1, true).values(), () -> new Tensor[] {randn(3, 5)}),
                op("sort descending", v -> v[0].sort(0, true).values(), () -> new Tensor[] {randn(4, 2)}),
                op("where", v -> Variable.where(Tensor.of(new boolean[] {true, false, true}), v[0], v[1]), () -> new Tensor[] {randn(3), randn(2, 3)}),
                op("reshape", v -> v[0].reshape(3, 4).mul(v[0].reshape(3, 4)), () -> new Tensor[] {randn(2, 6)}),
                op("permute", v -> v[0].permute(2, 0, 1).mul(Variable.of(Tensor.arange(24).reshape(4, 2, 3))), () -> new Tensor[] {randn(2, 3, 4)}),
                op("transpose", v -> v[0].transpose(0, 1).exp(), () -> new Tensor[] {randn(3, 2)}),
                op("slice step", v -> v[0].slice(1, 1, 6, 2).square(), () -> new Tensor[] {randn(2, 7)}),
                op("narrow", v -> v[0].narrow(0, 1, 2).exp(), () -> new Tensor[] {randn(4, 3)}),
                op("select", v -> v[0].select(1, 2).exp(), () -> new Tensor[] {randn(3, 4)}),
                op("expand", v -> v[0].expand(4, 3).exp(), () -> new Tensor[] {randn(1, 3)}),
                op("squeeze unsqueeze", v -> v[0].squeeze(1).unsqueeze(0).exp(), () -> new Tensor[] {randn(3, 1)}),
                op("flatten", v -> v[0].flatten(1, 2).exp(), () -> new Tensor[] {randn(2, 2, 3)}),
                op("concat", v -> Variable.concat(1, v[0], v[1]).exp(), () -> new Tensor[] {randn(2, 2), randn(2, 3)}),
                op("stack", v -> Variable.stack(0, v[0], v[1]).exp(), () -> new Tensor[] {randn(2, 3), randn(2, 3)}),
                op("indexSelect repeated", v -> v[0].indexSelect(0, 2, 0, 2).exp(), () -> new Tensor[] {randn(3, 2)}),
                op("gather", v -> v[0].gather(1, Tensor.of(new float[] {0, 2, 2, 1}, 2, 2)).exp(), () -> new Tensor[] {randn(2, 3)}),
                op("sum all", v -> v[0].sum().mul(v[0].sum()), () -> new Tensor[] {randn(2, 3)}),
                op("sum dims keepDim", v -> v[0].sum(new int[] {0, 2}, true).exp(), () -> new Tensor[] {randn(2, 3, 2)}),
                op("mean dim", v -> v[0].mean(1).exp(), () -> new Tensor[] {transposed(3, 4)}),
                op("max dim", v -> v[0].max(1).values().exp(), () -> new Tensor[] {Tensor.of(new float[] {1, 5, 3, 9, 2, 4}, 2, 3)}),
                op("min dim keepDim", v -> v[0].min(0, true).values().exp(), () -> new Tensor[] {Tensor.of(new float[] {1, 5, 3, 9, 2, 4}, 2, 3)}),
                op("min all", v -> v[0].min().exp(), () -> new Tensor[] {Tensor.of(new float[] {1, 5, -3, 9, 2, 4}, 2, 3)}),
                op("logSumExp", v -> v[0].logSumExp(1, false), () -> new Tensor[] {randn(3, 4)}),
                op("softmax", v -> v[0].softmax(1), () -> new Tensor[] {randn(3, 4)}),
                op("logSoftmax dim 0", v -> v[0].logSoftmax(0), () -> new Tensor[] {randn(3, 4)}),
                op("matmul 2d", v -> v[0].matmul(v[1]), () -> new Tensor[] {randn(3, 4), randn(4, 2)}),
                op("matmul transposed views", v -> v[0].matmul(v[1]), () -> new Tensor[] {transposed(3, 4), transposed(4, 5)}),
                op("matmul batched broadcast", v -> v[0].matmul(v[1]), () -> new Tensor[] {randn(2, 1, 3, 4), randn(3, 4, 2)}),
                op("matmul vector-matrix", v -> v[0].matmul(v[1]), () -> new Tensor[] {randn(4), randn(4, 3)}),
                op("matmul matrix-vector", v -> v[0].matmul(v[1]), () -> new Tensor[] {randn(3, 4), randn(4)}),
                op("matmul dot", v -> v[0].matmul(v[1]), () -> new Tensor[] {randn(5), randn(5)}),
                op("linear", v -> NeuralOps.linear(v[0], v[1], v[2]), () -> new Tensor[] {randn(4, 3), randn(5, 3), randn(5)}),
                op("linear 3d input", v -> NeuralOps.linear(v[0], v[1], null), () -> new Tensor[] {randn(2, 3, 4), randn(2, 4)}),
                op("conv2d pad", v -> NeuralOps.conv2d(v[0], v[1], v[2], Conv2dSpec.of(1, 1)), () -> new Tensor[] {randn(2, 2, 5, 5), randn(3, 2, 3, 3), randn(3)}),
                op("conv2d stride dilation groups", v -> NeuralOps.conv2d(v[0], v[1], null, new Conv2dSpec(2, 1, 1, 0, 2, 1, 2)),
                        () -> new Tensor[] {randn(1, 4, 7, 6), randn(2, 2, 2, 3)}),
                op("maxPool2d", v -> NeuralOps.maxPool2d(v[0], Pool2dSpec.of(2)), () -> new Tensor[] {distinct(1, 2, 4, 4)}),
                op("avgPool2d padded", v -> NeuralOps.avgPool2d(v[0], Pool2dSpec.of(3, 3).withStride(2).withPadding(1)), () -> new Tensor[] {randn(1, 2, 5, 5)}),
                op("adaptiveAvgPool2d", v -> NeuralOps.adaptiveAvgPool2d(v[0], 2, 3), () -> new Tensor[] {randn(1, 2, 5, 7)}),
                op("crossEntropy", v -> NeuralOps.crossEntropy(v[0], labels), () -> new Tensor[] {randn(4, 3)}),
                op("crossEntropy smoothing weights ignore", v -> NeuralOps.crossEntropy(v[0], Tensor.of(new float[] {2, -100, 1, 0}),
                        new CrossEntropy.Options(Reduction.MEAN, Tensor.of(new float[] {0.5f, 2f, 1f}), -100, 0.2f)),
                        () -> new Tensor[] {randn(4, 3)}),
                op("crossEntropy none", v -> NeuralOps.crossEntropy(v[0], labels,
                        new CrossEntropy.Options(Reduction.NONE, null, -100, 0f)), () -> new Tensor[] {randn(4, 3)}),
                op("dropout", v -> NeuralOps.dropout(v[0], 0.5f, new Rng(3), true), () -> new Tensor[] {randn(10)}));
    }

    /** Values that are pairwise far apart (a shuffled range), so that max pooling has no near-ties. */
    private static Tensor distinct(int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        int[] perm = RNG.permutation(n);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = perm[i] * 0.25f;
        }
        return Tensor.of(v, shape);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ops")
    void gradientMatchesFiniteDifferences(GradCheck.Fn f, Supplier<Tensor[]> inputs) {
        GradCheck.Report r = GradCheck.check(f, inputs.get());
        assertTrue(r.passed(), r.toString());
    }

    /** The ops whose kernels exist in float32 only: in float64 they refuse their input with a clear message. */
    private static final Set<String> FLOAT32_ONLY = Set.of("conv2d", "conv2d pad", "conv2d stride dilation groups",
            "maxPool2d", "avgPool2d padded", "adaptiveAvgPool2d");

    /** The same table in float64, where the check holds to 1e-6 rather than 1e-2. */
    static Stream<Arguments> float64Ops() {
        return ops().map(a -> {
            Named<?> named = (Named<?>) a.get()[0];
            return Arguments.of(named, a.get()[1], FLOAT32_ONLY.contains(named.getName()));
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("float64Ops")
    void gradientMatchesFiniteDifferencesInFloat64(GradCheck.Fn f, Supplier<Tensor[]> inputs, boolean float32Only) {
        if (float32Only) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> GradCheck.checkFloat64(f, inputs.get()));
            assertTrue(e.getMessage().contains("expected a float32 tensor, got float64"), e.getMessage());
            return;
        }
        GradCheck.Report r = GradCheck.checkFloat64(f, inputs.get());
        assertTrue(r.passed(), r.toString());
    }
}
