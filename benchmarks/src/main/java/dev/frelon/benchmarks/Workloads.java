package dev.frelon.benchmarks;

import dev.frelon.autodiff.Variable;
import dev.frelon.core.Conv2dSpec;
import dev.frelon.core.Pool2dSpec;
import dev.frelon.core.Convolution;
import dev.frelon.core.CrossEntropy;
import dev.frelon.core.Pooling;
import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;
import dev.frelon.core.Upsampling;
import dev.frelon.core.kernel.Gemm;
import dev.frelon.autodiff.Grad;
import dev.frelon.nn.ConvTranspose2d;
import dev.frelon.nn.Linear;
import dev.frelon.nn.Losses;
import dev.frelon.nn.Models;
import dev.frelon.nn.MultiheadAttention;
import dev.frelon.nn.Sequential;
import dev.frelon.optim.Adam;
import dev.frelon.optim.AdamW;
import dev.frelon.optim.Optimizer;
import dev.frelon.optim.SGD;

import java.util.ArrayList;
import java.util.List;

/**
 * The workloads that {@code benchmarks/compare} runs in Frelon, under the same names as in
 * {@code benchmarks/torch_bench.py}. A workload is set up once and then timed by calling {@link Op#run()}.
 *
 * <p>Units: {@code GFLOPS} for GEMM (higher is better), {@code samples/s} for training steps (higher is
 * better), {@code us} (microseconds per call, lower is better) for everything else.
 */
public final class Workloads {

    private Workloads() {
    }

    /** One timed operation. */
    @FunctionalInterface
    public interface Op {
        /** Runs the operation once. */
        void run();
    }

    /**
     * A named workload.
     *
     * @param name the name, starting with its family ({@code gemm_}, {@code conv_}, ...)
     * @param unit {@code GFLOPS}, {@code samples/s} or {@code us}
     * @param work per call: floating-point operations (GFLOPS), samples (samples/s), or 1 (us)
     * @param quick whether {@code --quick} runs it
     * @param setup builds the operation (allocates inputs)
     */
    public record Workload(String name, String unit, double work, boolean quick, java.util.function.Supplier<Op> setup) {
        /** @return true when a larger value is better */
        public boolean higherIsBetter() {
            return !unit.equals("us");
        }

        /**
         * Converts a measured time per call into this workload's unit.
         *
         * @param nanosPerCall the median time of one call
         * @return the value in {@link #unit()}
         */
        public double value(double nanosPerCall) {
            return switch (unit) {
                case "GFLOPS" -> work / nanosPerCall;
                case "samples/s" -> work * 1e9 / nanosPerCall;
                default -> nanosPerCall / 1e3;
            };
        }
    }

    /** @return every workload, in report order */
    public static List<Workload> all() {
        List<Workload> w = new ArrayList<>();
        for (int s : new int[] {64, 128, 256, 512, 1024, 2048}) {
            w.add(gemm("gemm_" + s, s, s, s, false, false, s >= 256 && s <= 1024));
        }
        for (int b : new int[] {64, 256}) {
            // Linear 784 -> 256 forward X·W, backward Xᵀ·dY (weight gradient) and dY·Wᵀ (input gradient).
            w.add(gemm("gemm_mlp_" + b + "x784x256", b, 256, 784, false, false, true));
            w.add(gemm("gemm_mlp_xtdy_784x" + b + "x256", 784, 256, b, true, false, b == 64));
            w.add(gemm("gemm_mlp_dywt_" + b + "x256x784", b, 784, 256, false, true, b == 64));
        }
        conv(w, "lenet1", 64, 1, 6, 28, 5, 2, true);
        conv(w, "lenet2", 64, 6, 16, 14, 5, 0, true);
        conv(w, "res56", 32, 64, 64, 56, 3, 1, false);
        w.add(new Workload("pool_max2_64x6x28_fwd", "us", 1, true, () -> {
            Tensor x = Tensor.randn(new int[] {64, 6, 28, 28}, 1);
            return () -> Pooling.maxPool2d(x, Pool2dSpec.of(2));
        }));
        w.add(new Workload("pool_max2_64x6x28_fwdbwd", "us", 1, true, () -> {
            Tensor x = Tensor.randn(new int[] {64, 6, 28, 28}, 1);
            Tensor dy = Tensor.randn(new int[] {64, 6, 14, 14}, 2);
            return () -> {
                Pooling.MaxPoolResult r = Pooling.maxPool2d(x, Pool2dSpec.of(2));
                Pooling.maxPool2dBackward(dy, r.argmax(), x.shape());
            };
        }));
        w.add(new Workload("pool_avg2_64x6x28_fwd", "us", 1, false, () -> {
            Tensor x = Tensor.randn(new int[] {64, 6, 28, 28}, 1);
            return () -> Pooling.avgPool2d(x, Pool2dSpec.of(2));
        }));
        // A generator's ×2 upsampling: [32, 64, 16, 16] -> [32, 64, 32, 32], forward, and backward alone.
        for (boolean bilinear : new boolean[] {false, true}) {
            String base = "upsample_" + (bilinear ? "bilinear2" : "nearest2") + "_32x64x16";
            w.add(new Workload(base + "_fwd", "us", 1, true, () -> {
                Tensor x = Tensor.randn(new int[] {32, 64, 16, 16}, 21);
                return bilinear ? () -> Upsampling.bilinear(x, 32, 32, false) : () -> Upsampling.nearest(x, 32, 32);
            }));
            w.add(new Workload(base + "_bwd", "us", 1, true, () -> {
                Tensor dy = Tensor.randn(new int[] {32, 64, 32, 32}, 22);
                int[] shape = {32, 64, 16, 16};
                return bilinear ? () -> Upsampling.bilinearBackward(dy, shape, false)
                        : () -> Upsampling.nearestBackward(dy, shape);
            }));
        }
        for (int c : new int[] {10, 1000}) {
            w.add(new Workload("softmax_ce_256x" + c, "us", 1, true, () -> {
                Tensor logits = Tensor.randn(new int[] {256, c}, 3);
                float[] t = new float[256];
                Rng rng = new Rng(4);
                for (int i = 0; i < t.length; i++) {
                    t[i] = rng.nextInt(c);
                }
                Tensor targets = Tensor.wrap(t, 256);
                Tensor one = Tensor.scalar(1f);
                return () -> CrossEntropy.backward(CrossEntropy.forward(logits, targets, CrossEntropy.Options.DEFAULT), one);
            }));
        }
        for (int m : new int[] {1, 16}) {
            int n = m << 20;
            w.add(new Workload("eltwise_add_" + m + "m", "us", 1, true, () -> {
                Tensor a = Tensor.randn(new int[] {n}, 5), b = Tensor.randn(new int[] {n}, 6);
                return () -> a.add(b);
            }));
            w.add(new Workload("eltwise_relu_" + m + "m", "us", 1, true, () -> {
                Tensor a = Tensor.randn(new int[] {n}, 7);
                return () -> a.relu();
            }));
        }
        w.add(new Workload("overhead_linear10x1_fwdbwd", "us", 1, true, () -> {
            Linear lin = new Linear(10, 1, true, new Rng(8));
            Tensor x = Tensor.randn(new int[] {1, 10}, 9);
            return () -> {
                lin.zeroGrad();
                lin.forward(x).sum().backward();
            };
        }));
        // A DCGAN generator's layers for 28×28 images, batch 64: 1→7 (k7), 7→14 and 14→28 (k4, stride 2, padding 1).
        convTranspose(w, "gen1_n64_100to256_1to7_k7", 64, 100, 256, 1, 7, 1, 0);
        convTranspose(w, "gen2_n64_256to128_7to14_k4s2", 64, 256, 128, 7, 4, 2, 1);
        convTranspose(w, "gen3_n64_128to1_14to28_k4s2", 64, 128, 1, 14, 4, 2, 1);
        // Self-attention of a MultiheadAttention (d = 256, 8 heads), batch-first: forward, and forward + backward.
        attention(w, 32, 128, true);
        attention(w, 4, 1024, false);
        attention(w, 32, 1024, false);
        // One optimizer step over a million parameters with a gradient: the update loops alone.
        w.add(optimizer("optim_sgd_momentum_1m", p -> new SGD(p, 0.01, SGD.momentum(0.9).withWeightDecay(5e-4))));
        w.add(optimizer("optim_adam_1m", p -> new Adam(p, 1e-3)));
        w.add(optimizer("optim_adamw_1m", p -> new AdamW(p, 1e-3)));
        w.add(train("train_mlp_b64", 64, false));
        w.add(train("train_lenet_b64", 64, true));
        return w;
    }

    private static Workload optimizer(String name, java.util.function.Function<List<Variable>, Optimizer<?>> make) {
        return new Workload(name, "us", 1, true, () -> {
            Variable p = Variable.parameter(Tensor.randn(new int[] {1 << 20}, 11));
            p.setGrad(Tensor.randn(new int[] {1 << 20}, 12));
            Optimizer<?> opt = make.apply(List.of(p));
            return opt::step;
        });
    }

    private static Workload gemm(String name, int m, int n, int k, boolean transA, boolean transB, boolean quick) {
        return new Workload(name, "GFLOPS", 2.0 * m * n * k, quick, () -> {
            float[] a = Tensor.randn(new int[] {m * k}, 10).toArray();
            float[] b = Tensor.randn(new int[] {k * n}, 11).toArray();
            float[] c = new float[m * n];
            // A is [m×k]; stored [k×m] when read transposed (as X in Xᵀ·dY). B likewise ([n×k] for W in dY·Wᵀ).
            int aRs = transA ? 1 : k, aCs = transA ? m : 1;
            int bRs = transB ? 1 : n, bCs = transB ? k : 1;
            return () -> Gemm.gemm(m, n, k, a, 0, aRs, aCs, b, 0, bRs, bCs, c, 0, n, false);
        });
    }

    private static void conv(List<Workload> w, String tag, int n, int c, int oc, int hw, int k, int pad, boolean quick) {
        String base = "conv_" + tag + "_n" + n + "_" + c + "to" + oc + "_" + hw + "_k" + k;
        Conv2dSpec spec = Conv2dSpec.of(1, pad);
        w.add(new Workload(base + "_fwd", "us", 1, quick, () -> {
            Tensor x = Tensor.randn(new int[] {n, c, hw, hw}, 12), wt = Tensor.randn(new int[] {oc, c, k, k}, 13), b = Tensor.randn(new int[] {oc}, 14);
            return () -> Convolution.conv2d(x, wt, b, spec);
        }));
        w.add(new Workload(base + "_fwdbwd", "us", 1, quick, () -> {
            Tensor x = Tensor.randn(new int[] {n, c, hw, hw}, 12), wt = Tensor.randn(new int[] {oc, c, k, k}, 13), b = Tensor.randn(new int[] {oc}, 14);
            return () -> {
                Tensor y = Convolution.conv2d(x, wt, b, spec);
                Convolution.conv2dBackwardInput(y, wt, x.shape(), spec);
                Convolution.conv2dBackwardWeight(y, x, wt.shape(), spec);
                Convolution.conv2dBackwardBias(y);
            };
        }));
    }

    private static void convTranspose(List<Workload> w, String tag, int n, int c, int oc, int hw, int k, int stride,
                                      int pad) {
        String base = "convT_" + tag;
        ConvTranspose2d.Options o = ConvTranspose2d.Options.stride(stride).withPadding(pad);
        w.add(new Workload(base + "_fwd", "us", 1, true, () -> {
            ConvTranspose2d layer = new ConvTranspose2d(c, oc, k, o, new Rng(17));
            Tensor x = Tensor.randn(new int[] {n, c, hw, hw}, 18);
            return () -> {
                try (var _ = Grad.noGrad()) {
                    layer.forward(x);
                }
            };
        }));
        w.add(new Workload(base + "_fwdbwd", "us", 1, true, () -> {
            ConvTranspose2d layer = new ConvTranspose2d(c, oc, k, o, new Rng(17));
            Variable x = Variable.parameter(Tensor.randn(new int[] {n, c, hw, hw}, 18));
            return () -> {
                layer.zeroGrad();
                x.zeroGrad();
                Variable y = layer.forward(x);
                y.backward(y.data());
            };
        }));
    }

    private static void attention(List<Workload> w, int batch, int t, boolean quick) {
        String base = "attn_mha_b" + batch + "_t" + t + "_d256_h8";
        w.add(new Workload(base + "_fwd", "us", 1, quick, () -> {
            MultiheadAttention m = new MultiheadAttention(256, 8, 0, true, new Rng(19));
            Tensor x = Tensor.randn(new int[] {batch, t, 256}, 20);
            return () -> {
                try (var _ = Grad.noGrad()) {
                    m.forward(x);
                }
            };
        }));
        w.add(new Workload(base + "_fwdbwd", "us", 1, quick, () -> {
            MultiheadAttention m = new MultiheadAttention(256, 8, 0, true, new Rng(19));
            Variable x = Variable.parameter(Tensor.randn(new int[] {batch, t, 256}, 20));
            return () -> {
                m.zeroGrad();
                x.zeroGrad();
                Variable y = m.forward(x);
                y.backward(y.data());
            };
        }));
    }

    /**
     * One SGD (momentum 0.9, weight decay 5e-4, lr 0.01) training step on a fixed batch of random data: forward,
     * cross-entropy, zeroGrad, backward, step.
     */
    private static Workload train(String name, int batch, boolean cnn) {
        return new Workload(name, "samples/s", batch, true, () -> {
            Rng rng = new Rng(15);
            // The flagship's architectures (nn.Models), as the examples train them.
            Sequential model = cnn ? Models.lenet5(rng) : Models.mlp(rng, 784, 256, 128, 10);
            Tensor x = cnn ? Tensor.randn(new int[] {batch, 1, 28, 28}, 16) : Tensor.randn(new int[] {batch, 784}, 16);
            float[] t = new float[batch];
            for (int i = 0; i < batch; i++) {
                t[i] = rng.nextInt(10);
            }
            Tensor y = Tensor.wrap(t, batch);
            SGD opt = new SGD(model.parameters(), 0.01, SGD.momentum(0.9).withWeightDecay(5e-4));
            return () -> {
                Variable loss = Losses.crossEntropy(model.forward(x), y);
                opt.zeroGrad();
                loss.backward();
                opt.step();
            };
        });
    }
}
