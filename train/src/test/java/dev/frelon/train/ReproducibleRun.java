package dev.frelon.train;

import dev.frelon.autodiff.NeuralOps;
import dev.frelon.autodiff.Variable;
import dev.frelon.core.DType;
import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;
import dev.frelon.core.kernel.Parallel;
import dev.frelon.nn.Linear;
import dev.frelon.nn.Losses;
import dev.frelon.nn.Module;
import dev.frelon.optim.Adam;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;

/**
 * A seeded training run through every transcendental kernel (exp, log, tanh, sigmoid, GELU's erf, tanh-GELU,
 * softplus, log-softmax) on strips long enough for the vector kernels, then a float64 run through StrictMath and the
 * float64 kernels; prints the SHA-256 of the final parameters' bits. {@link ReproducibilityTest} runs it in fresh JVMs under different JIT settings and compares the digests.
 * With the argument {@code busy} the run happens while another thread holds the worker pool.
 */
public final class ReproducibleRun {

    /** Four layers, each followed by a different transcendental activation. */
    static final class EveryActivation extends Module {
        private final Linear l1, l2, l3, l4, out;

        EveryActivation(Rng rng) {
            l1 = register("l1", new Linear(96, 128, true, rng));
            l2 = register("l2", new Linear(128, 128, true, rng));
            l3 = register("l3", new Linear(128, 128, true, rng));
            l4 = register("l4", new Linear(128, 128, true, rng));
            out = register("out", new Linear(128, 10, true, rng));
        }

        @Override
        public Variable forward(Variable x) {
            Variable h = l1.forward(x).tanh();
            h = l2.forward(h).gelu().add(h.sigmoid());
            h = l3.forward(h).softplus().add(h.geluTanh());
            h = l4.forward(h).exp().add(1f).log();              // log(1 + e^z), through the exp and log kernels
            return out.forward(h);
        }
    }

    /** @return the hex SHA-256 of the parameters after a few Adam steps */
    static String run() throws Exception {
        Rng rng = new Rng(2026);
        EveryActivation model = new EveryActivation(rng);
        Adam opt = new Adam(model.parameters(), 1e-2);
        Tensor x = Tensor.randn(rng, 64, 96);
        float[] labels = new float[64];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rng.nextInt(10);
        }
        Tensor y = Tensor.of(labels);
        for (int step = 0; step < 4; step++) {
            Variable logits = model.forward(x);
            Variable loss = Losses.crossEntropy(logits.logSoftmax(1).exp().log(), y);
            opt.zeroGrad();
            loss.backward();
            opt.step();
        }
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (var p : model.namedParameters().entrySet()) {
            sha.update(p.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            float[] v = p.getValue().data().toArray();
            ByteBuffer bits = ByteBuffer.allocate(4 * v.length);
            for (float f : v) {
                bits.putInt(Float.floatToRawIntBits(f));
            }
            sha.update(bits.array());
        }
        for (Tensor w : float64Run(x, y)) {
            ByteBuffer bits = ByteBuffer.allocate(8 * w.numel());
            for (double d : w.toDoubleArray()) {
                bits.putLong(Double.doubleToRawLongBits(d));
            }
            sha.update(bits.array());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * The float64 path: a two-layer network through tanh, sigmoid, exp, log, GELU, softmax and cross-entropy in
     * float64 (StrictMath and the float64 kernels), trained by hand-written SGD steps.
     *
     * @return the trained weights
     */
    static Tensor[] float64Run(Tensor x, Tensor labels) {
        Rng rng = new Rng(2027);
        Variable w1 = Variable.parameter(Tensor.randn(rng, 96, 64).mul(0.1f).to(DType.FLOAT64));
        Variable w2 = Variable.parameter(Tensor.randn(rng, 64, 10).mul(0.1f).to(DType.FLOAT64));
        Variable in = Variable.of(x.to(DType.FLOAT64));
        Tensor y = labels.to(DType.INT64);
        for (int step = 0; step < 4; step++) {
            Variable h = in.matmul(w1).tanh();
            h = h.sigmoid().add(h.exp().add(1).log()).gelu();
            Variable loss = NeuralOps.crossEntropy(h.matmul(w2).softmax(1).log(), y);
            if (!(loss.itemDouble() > 0 && loss.itemDouble() < 10)) { // a real loss of ten classes, not NaN
                throw new IllegalStateException("float64 run: loss " + loss.itemDouble() + " at step " + step);
            }
            w1.zeroGrad();
            w2.zeroGrad();
            loss.backward();
            w1.data().addInPlace(w1.grad(), -0.5f);
            w2.data().addInPlace(w2.grad(), -0.5f);
        }
        return new Tensor[] {w1.data(), w2.data()};
    }

    /** @param args empty, or {@code busy} to hold the pool from another thread during the run */
    public static void main(String[] args) throws Exception {
        Parallel.setThreads(2);
        if (args.length > 0 && args[0].equals("busy")) {
            CountDownLatch holding = new CountDownLatch(1), release = new CountDownLatch(1);
            Thread holder = new Thread(() -> Parallel.forRange(0, 2, 1, (lo, hi) -> {
                if (lo == 0) {
                    holding.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }));
            holder.start();
            holding.await();
            System.out.println(run());
            release.countDown();
            holder.join();
        } else {
            System.out.println(run());
        }
    }
}
