package dev.frelon.examples;

import dev.frelon.autodiff.Grad;
import dev.frelon.autodiff.Variable;
import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;
import dev.frelon.nn.Linear;
import dev.frelon.nn.Losses;
import dev.frelon.nn.Module;
import dev.frelon.nn.ReLU;
import dev.frelon.nn.Sequential;
import dev.frelon.optim.Adam;
import dev.frelon.optim.Schedulers;
import dev.frelon.train.plot.LinePlot;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * A network that learns to add two numbers, and how it is always a little wrong. An MLP (2 → H → H → 1,
 * ReLU) is trained on pairs (a, b) drawn uniformly from [-1, 1]² with target a + b. Inside that square it
 * gets close, but never exact; outside, the ReLU network continues its last affine pieces, which were never
 * told to match a + b there, and the error grows with the distance. A single linear layer y = w·(a, b) + c,
 * which has the right shape of answer, learns w = (1, 1), c = 0 and is right everywhere to float precision.
 *
 * <pre>
 *   bin/frelon run LearnToAdd [--hidden 64] [--steps 3000] [--batch 128] [--lr 0.003] [--seed 1] [--out runs/add]
 * </pre>
 *
 * <p>Each step draws a fresh batch (so there is no overfitting, only approximation). Errors are measured on
 * a 121 × 121 grid over [-3, 3]²: "inside" are the points in the training square [-1, 1]², "outside" the
 * rest. Prints mean and max absolute error inside and outside for both models and a few sample sums; writes
 * {@code error.svg}, the signed error along the diagonal a = b = t and along a = t, b = 0.5, for t from -3
 * to 3 (the training range is |t| ≤ 1), and {@code error-inside.svg}, the same curves of the MLP for |t| ≤ 1.
 */
public final class LearnToAdd {

    private LearnToAdd() {
    }

    /**
     * Error statistics of one model.
     *
     * @param meanInside mean |f(a, b) − (a + b)| over grid points in [-1, 1]²
     * @param maxInside the largest such error
     * @param meanOutside mean absolute error over grid points outside [-1, 1]² (within [-3, 3]²)
     * @param maxOutside the largest such error
     */
    record Errors(double meanInside, double maxInside, double meanOutside, double maxOutside) {
    }

    static Sequential mlp(int hidden, long seed) {
        Rng rng = new Rng(seed);
        return new Sequential(new Linear(2, hidden, true, rng), new ReLU(), new Linear(hidden, hidden, true, rng),
                new ReLU(), new Linear(hidden, 1, true, rng));
    }

    static Module linear(long seed) {
        return new Linear(2, 1, true, new Rng(seed));
    }

    /**
     * Trains on fresh uniform batches from [-1, 1]² with Adam and a cosine-annealed rate.
     *
     * @return the last batch's MSE
     */
    static double train(Module model, int steps, int batch, double lr, long seed) {
        Rng rng = new Rng(seed + 17);
        Adam opt = new Adam(model.parameters(), lr);
        var schedule = new Schedulers.CosineAnnealingLR(opt, steps, lr / 100);
        double last = Double.NaN;
        for (int s = 0; s < steps; s++) {
            Tensor x = Tensor.uniform(rng, -1f, 1f, batch, 2);
            Tensor y = x.sum(new int[] {1}, true);
            Variable loss = Losses.mse(model.forward(x), y);
            opt.zeroGrad();
            loss.backward();
            opt.step();
            schedule.step();
            last = loss.item();
        }
        return last;
    }

    static double[] predict(Module model, float[] a, float[] b) {
        float[] x = new float[2 * a.length];
        for (int i = 0; i < a.length; i++) {
            x[2 * i] = a[i];
            x[2 * i + 1] = b[i];
        }
        try (var _ = Grad.noGrad()) {
            float[] y = model.forward(Tensor.of(x, a.length, 2)).data().toArray();
            double[] d = new double[y.length];
            for (int i = 0; i < y.length; i++) {
                d[i] = y[i];
            }
            return d;
        }
    }

    /** Absolute errors on a 121 × 121 grid over [-3, 3]², split into inside and outside [-1, 1]². */
    static Errors errors(Module model) {
        int n = 121;
        float[] a = new float[n * n], b = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i * n + j] = -3f + 6f * i / (n - 1);
                b[i * n + j] = -3f + 6f * j / (n - 1);
            }
        }
        double[] y = predict(model, a, b);
        double sumIn = 0, maxIn = 0, sumOut = 0, maxOut = 0;
        int nIn = 0, nOut = 0;
        for (int k = 0; k < y.length; k++) {
            double e = Math.abs(y[k] - ((double) a[k] + b[k]));
            if (Math.abs(a[k]) <= 1 && Math.abs(b[k]) <= 1) {
                sumIn += e;
                maxIn = Math.max(maxIn, e);
                nIn++;
            } else {
                sumOut += e;
                maxOut = Math.max(maxOut, e);
                nOut++;
            }
        }
        return new Errors(sumIn / nIn, maxIn, sumOut / nOut, maxOut);
    }

    /**
     * @param argv options, see the class comment
     * @throws Exception when the plot cannot be written
     */
    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        int hidden = args.integer("hidden", 64), steps = args.integer("steps", 3000), batch = args.integer("batch", 128);
        double lr = args.number("lr", 0.003);
        long seed = args.integer("seed", 1);
        Path out = args.outDir("add");

        Sequential mlp = mlp(hidden, seed);
        double mlpLoss = train(mlp, steps, batch, lr, seed);
        Module lin = linear(seed);
        double linLoss = train(lin, steps, batch, 0.03, seed);
        System.out.printf(Locale.ROOT, "trained on a + b for (a, b) in [-1, 1]^2, %d steps of %d fresh pairs%n", steps,
                batch);
        System.out.printf(Locale.ROOT, "  MLP 2-%d-%d-1: last batch MSE %.3g%n", hidden, hidden, mlpLoss);
        System.out.printf(Locale.ROOT, "  linear layer: last batch MSE %.3g, learned y = %.6f a + %.6f b + %.2g%n",
                linLoss, ((Linear) lin).weight().data().get(0, 0), ((Linear) lin).weight().data().get(0, 1),
                ((Linear) lin).bias().data().get(0));

        System.out.println("absolute error |f(a, b) - (a + b)| on a grid over [-3, 3]^2:");
        System.out.println("  model          inside [-1,1]^2: mean      max   | outside: mean      max");
        Errors em = errors(mlp), el = errors(lin);
        for (var row : new Object[][] {{"MLP", em}, {"linear layer", el}}) {
            Errors e = (Errors) row[1];
            System.out.printf(Locale.ROOT, "  %-14s %20.2e %9.2e | %14.2e %8.2e%n", row[0], e.meanInside(),
                    e.maxInside(), e.meanOutside(), e.maxOutside());
        }
        float[][] samples = {{0.25f, 0.5f}, {-0.7f, 0.9f}, {1f, 1f}, {2f, 2f}, {-3f, 2.5f}, {3f, 3f}};
        System.out.println("some sums by the MLP:");
        for (float[] s : samples) {
            double y = predict(mlp, new float[] {s[0]}, new float[] {s[1]})[0];
            System.out.printf(Locale.ROOT, "  %5.2f + %5.2f = %8.4f (error %+.4f)%s%n", s[0], s[1], y, y - (s[0] + s[1]),
                    Math.abs(s[0]) <= 1 && Math.abs(s[1]) <= 1 ? "" : "   outside the training range");
        }

        int n = 241;
        double[] t = new double[n];
        float[] tf = new float[n], half = new float[n];
        for (int i = 0; i < n; i++) {
            t[i] = -3 + 6.0 * i / (n - 1);
            tf[i] = (float) t[i];
            half[i] = 0.5f;
        }
        double[] diag = predict(mlp, tf, tf), row = predict(mlp, tf, half), lind = predict(lin, tf, tf);
        for (int i = 0; i < n; i++) {
            diag[i] -= 2 * (double) tf[i];
            row[i] -= tf[i] + 0.5;
            lind[i] -= 2 * (double) tf[i];
        }
        new LinePlot("Error of the learned sum (training range: |t| <= 1)").size(720, 420)
                .xLabel("t").yLabel("f(a, b) - (a + b)")
                .add("MLP, a = b = t", t, diag).add("MLP, a = t, b = 0.5", t, row)
                .add("linear layer, a = b = t", t, lind)
                .write(out.resolve("error.svg"));
        // Zoom on the training range, where the error is small but not zero.
        int from = (n - 1) / 3, to = 2 * (n - 1) / 3 + 1;
        new LinePlot("Error inside the training range").size(720, 420).xLabel("t")
                .yLabel("f(a, b) - (a + b)")
                .add("MLP, a = b = t", Arrays.copyOfRange(t, from, to), Arrays.copyOfRange(diag, from, to))
                .add("MLP, a = t, b = 0.5", Arrays.copyOfRange(t, from, to), Arrays.copyOfRange(row, from, to))
                .write(out.resolve("error-inside.svg"));
        System.out.println("wrote " + out.resolve("error.svg") + ", " + out.resolve("error-inside.svg"));
    }
}
