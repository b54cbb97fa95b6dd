package dev.frelon.examples;

import dev.frelon.autodiff.Grad;
import dev.frelon.autodiff.Variable;
import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;
import dev.frelon.nn.Linear;
import dev.frelon.nn.Losses;
import dev.frelon.nn.ReLU;
import dev.frelon.nn.Sequential;
import dev.frelon.optim.Adam;
import dev.frelon.optim.Schedulers;
import dev.frelon.train.plot.ScatterPlot;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Classifying 2-D points into 3 classes with a small MLP (2 → H → H → 3, ReLU) trained on the softmax
 * cross-entropy; the predicted class is the argmax of the three outputs. First the five points
 * [1.2, -3.4] → 0, [2.3, 2.8] → 0, [-0.7, 1.2] → 1, [3.2, -0.4] → 1, [-1.3, 2.3] → 2, then a three-arm
 * spiral, which no linear classifier can separate.
 *
 * <pre>
 *   bin/frelon run SpiralClassifier [--hidden 64] [--steps 2000] [--lr 0.01] [--per-class 200] [--noise 0.2] [--seed 1] [--out runs/spiral]
 * </pre>
 *
 * <p>Both problems are trained full-batch with Adam (a cosine-annealed rate). The spiral has
 * {@code --per-class} points per arm, the angle jittered by Gaussian noise of std {@code --noise}
 * radians; accuracy is reported on it and on a second spiral drawn with another seed (held out). Prints the
 * five points' class probabilities and predictions and the spiral accuracies; writes {@code five-points.svg}
 * and {@code spiral.svg}, the points over the classifier's decision regions.
 */
public final class SpiralClassifier {
    static final float[][] FIVE_X = {{1.2f, -3.4f}, {2.3f, 2.8f}, {-0.7f, 1.2f}, {3.2f, -0.4f}, {-1.3f, 2.3f}};
    static final int[] FIVE_Y = {0, 0, 1, 1, 2};

    private SpiralClassifier() {
    }

    static Sequential mlp(int hidden, long seed) {
        Rng rng = new Rng(seed);
        return new Sequential(new Linear(2, hidden, true, rng), new ReLU(), new Linear(hidden, hidden, true, rng),
                new ReLU(), new Linear(hidden, 3, true, rng));
    }

    /** Full-batch Adam on the cross-entropy; returns the final training loss. */
    static double train(Sequential model, Tensor x, Tensor y, int steps, double lr) {
        Adam opt = new Adam(model.parameters(), lr);
        var schedule = new Schedulers.CosineAnnealingLR(opt, steps, lr / 100);
        double loss = Double.NaN;
        for (int s = 0; s < steps; s++) {
            Variable l = Losses.crossEntropy(model.forward(x), y);
            opt.zeroGrad();
            l.backward();
            opt.step();
            schedule.step();
            loss = l.item();
        }
        return loss;
    }

    /** The argmax class of each row of x. */
    static int[] predict(Sequential model, Tensor x) {
        try (var _ = Grad.noGrad()) {
            float[] a = model.forward(x).data().argmax(1, false).toArray();
            int[] p = new int[a.length];
            for (int i = 0; i < a.length; i++) {
                p[i] = (int) a[i];
            }
            return p;
        }
    }

    static int classify(Sequential model, double x, double y) {
        return predict(model, Tensor.of(new float[] {(float) x, (float) y}, 1, 2))[0];
    }

    /** The five points as a tensor {@code [5, 2]}. */
    static Tensor fivePoints() {
        return Tensor.of(FIVE_X);
    }

    static Tensor labels(int[] y) {
        float[] f = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            f[i] = y[i];
        }
        return Tensor.of(f, y.length);
    }

    /**
     * A three-arm spiral: arm k holds points at radius r = i/n, angle 2πk/3 + 4r + noise.
     *
     * @return the points {@code [3n, 2]} and their labels (in the second slot of the returned pair)
     */
    static Tensor[] spiral(int perClass, double noise, long seed) {
        Rng rng = new Rng(seed);
        float[] x = new float[3 * perClass * 2], y = new float[3 * perClass];
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < perClass; i++) {
                double r = (i + 0.5) / perClass;
                double t = 2 * Math.PI * k / 3 + 4 * r + noise * rng.nextGaussian();
                int j = k * perClass + i;
                x[2 * j] = (float) (r * Math.sin(t));
                x[2 * j + 1] = (float) (r * Math.cos(t));
                y[j] = k;
            }
        }
        return new Tensor[] {Tensor.of(x, 3 * perClass, 2), Tensor.of(y, 3 * perClass)};
    }

    static double accuracy(Sequential model, Tensor x, Tensor y) {
        int[] p = predict(model, x);
        float[] t = y.toArray();
        int c = 0;
        for (int i = 0; i < p.length; i++) {
            c += p[i] == (int) t[i] ? 1 : 0;
        }
        return (double) c / p.length;
    }

    /**
     * Trains a fresh MLP on a spiral and measures it on that spiral and on a held-out one (seed + 1000).
     *
     * @param out if not null, receives the trained model in {@code out[0]}
     * @return {training accuracy, held-out accuracy}
     */
    static double[] spiralRun(int hidden, int steps, double lr, int perClass, double noise, long seed,
                              Sequential[] out) {
        Tensor[] train = spiral(perClass, noise, seed), test = spiral(perClass, noise, seed + 1000);
        Sequential model = mlp(hidden, seed);
        train(model, train[0], train[1], steps, lr);
        if (out != null) {
            out[0] = model;
        }
        return new double[] {accuracy(model, train[0], train[1]), accuracy(model, test[0], test[1])};
    }

    /**
     * @param argv options, see the class comment
     * @throws Exception when the plots cannot be written
     */
    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        int hidden = args.integer("hidden", 64), steps = args.integer("steps", 2000);
        int perClass = args.integer("per-class", 200);
        double lr = args.number("lr", 0.01), noise = args.number("noise", 0.2);
        long seed = args.integer("seed", 1);
        Path out = args.outDir("spiral");

        // Part 1: the five points.
        Sequential five = mlp(hidden, seed);
        double loss = train(five, fivePoints(), labels(FIVE_Y), Math.min(steps, 300), lr);
        System.out.printf(Locale.ROOT, "five points: final cross-entropy %.5f%n", loss);
        Tensor probs;
        try (var _ = Grad.noGrad()) {
            probs = five.forward(fivePoints()).data().softmax(1);
        }
        int[] pred = predict(five, fivePoints());
        for (int i = 0; i < 5; i++) {
            System.out.printf(Locale.ROOT, "  [%4.1f, %4.1f]  target %d  probabilities [%.3f, %.3f, %.3f]  predicted %d%s%n",
                    FIVE_X[i][0], FIVE_X[i][1], FIVE_Y[i], probs.get(i, 0), probs.get(i, 1), probs.get(i, 2), pred[i],
                    pred[i] == FIVE_Y[i] ? "" : "  WRONG");
        }
        double[] fx = new double[5], fy = new double[5];
        for (int i = 0; i < 5; i++) {
            fx[i] = FIVE_X[i][0];
            fy[i] = FIVE_X[i][1];
        }
        new ScatterPlot("Five points: decision regions of the MLP").xLabel("x1").yLabel("x2").xRange(-5, 5)
                .yRange(-5, 5).pointRadius(6).classes(fx, fy, FIVE_Y)
                .decisionRegions((a, b) -> classify(five, a, b), 150).write(out.resolve("five-points.svg"));

        // Part 2: the spiral.
        Sequential[] holder = new Sequential[1];
        double[] acc = spiralRun(hidden, steps, lr, perClass, noise, seed, holder);
        System.out.printf(Locale.ROOT, "spiral (%d points per arm, angle noise %.2f): training accuracy %.1f%%, "
                + "held-out accuracy %.1f%%%n", perClass, noise, 100 * acc[0], 100 * acc[1]);
        Tensor[] sp = spiral(perClass, noise, seed);
        int n = sp[1].size(0);
        double[] sx = new double[n], sy = new double[n];
        int[] sl = new int[n];
        for (int i = 0; i < n; i++) {
            sx[i] = sp[0].get(i, 0);
            sy[i] = sp[0].get(i, 1);
            sl[i] = (int) sp[1].get(i);
        }
        Sequential model = holder[0];
        new ScatterPlot("Three-arm spiral: decision regions of the MLP").xLabel("x1").yLabel("x2")
                .xRange(-1.2, 1.2).yRange(-1.2, 1.2).size(560, 480).classes(sx, sy, sl)
                .decisionRegions((a, b) -> classify(model, a, b), 150).write(out.resolve("spiral.svg"));
        System.out.println("wrote " + out.resolve("five-points.svg") + ", " + out.resolve("spiral.svg"));
    }
}
