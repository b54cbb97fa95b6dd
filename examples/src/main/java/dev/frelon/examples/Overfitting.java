package dev.frelon.examples;

import dev.frelon.autodiff.Variable;
import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;
import dev.frelon.nn.Losses;
import dev.frelon.optim.Adam;
import dev.frelon.optim.Schedulers;
import dev.frelon.train.data.Batch;
import dev.frelon.train.data.Dataset;
import dev.frelon.train.data.Splits;
import dev.frelon.train.data.TensorDataset;
import dev.frelon.train.plot.LinePlot;
import dev.frelon.train.plot.ScatterPlot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Under- and over-fitting: polynomials with 2, 6 and 30 parameters fitted to 30 noisy measurements of a
 * car's fuel consumption against its speed, judged by 3-fold cross-validation. The straight line
 * underfits (training and validation error both high), 6 parameters fit well (both errors near the noise
 * level; with this seed 3 or 4 parameters are slightly better still), and 30 parameters (more than the 20
 * training points of a fold) fit the training points almost exactly while their validation error explodes.
 *
 * <pre>
 *   bin/frelon run Overfitting [--points 30] [--noise 0.7] [--seed 7] [--steps 4000] [--lr 0.05] [--out runs/overfitting]
 * </pre>
 *
 * <p>The data are synthetic, from a simple physical model of consumption in litres per 100 km at speed v
 * km/h: {@code c(v) = 180/v + 2.5 + 0.0006·v²} (engine friction per distance falls with speed, rolling
 * resistance is constant, air drag grows with v²), plus Gaussian noise of standard deviation
 * {@code --noise}, for speeds drawn uniformly from 20 to 130 km/h. Polynomials are fitted by full-batch
 * gradient descent (Adam) on the mean squared error, with Chebyshev polynomials of the rescaled speed as
 * features (the same polynomials as 1, v, v², … but far better conditioned, so gradient descent can fit 30
 * of them).
 *
 * <p>Prints training and validation MSE (mean ± std over the folds) for a range of parameter counts and
 * writes {@code fits.svg} (the data with the 2-, 6- and 30-parameter fits on all points) and
 * {@code errors.svg} (log10 of training and validation MSE against the number of parameters).
 */
public final class Overfitting {
    static final double V_MIN = 20, V_MAX = 130;

    private Overfitting() {
    }

    /** The noise-free consumption in L/100 km at speed v km/h. */
    static double consumption(double v) {
        return 180 / v + 2.5 + 0.0006 * v * v;
    }

    /** Chebyshev features T0..T(p-1) of the speed rescaled to [-1, 1]: one row per speed. */
    static Tensor features(float[] speeds, int p) {
        float[] f = new float[speeds.length * p];
        for (int i = 0; i < speeds.length; i++) {
            double u = (2 * speeds[i] - V_MIN - V_MAX) / (V_MAX - V_MIN);
            double t0 = 1, t1 = u;
            for (int k = 0; k < p; k++) {
                f[i * p + k] = (float) (k == 0 ? 1 : k == 1 ? u : 0);
                if (k >= 2) {
                    double t2 = 2 * u * t1 - t0;
                    f[i * p + k] = (float) t2;
                    t0 = t1;
                    t1 = t2;
                }
            }
        }
        return Tensor.of(f, speeds.length, p);
    }

    /**
     * Fits a polynomial with p coefficients by gradient descent on the MSE.
     *
     * @return the coefficients {@code [p, 1]} of the Chebyshev features
     */
    static Tensor fit(float[] speeds, float[] targets, int p, int steps, double lr) {
        Variable x = Variable.of(features(speeds, p));
        Tensor y = Tensor.of(targets, targets.length, 1);
        Variable w = Variable.parameter(Tensor.zeros(p, 1));
        Adam opt = new Adam(List.of(w), lr);
        var schedule = new Schedulers.CosineAnnealingLR(opt, steps, lr / 1000);
        for (int s = 0; s < steps; s++) {
            Variable loss = Losses.mse(x.matmul(w), y);
            opt.zeroGrad();
            loss.backward();
            opt.step();
            schedule.step();
        }
        return w.data();
    }

    static double mse(Tensor w, float[] speeds, float[] targets) {
        float[] pred = features(speeds, w.size(0)).matmul(w).toArray();
        double s = 0;
        for (int i = 0; i < pred.length; i++) {
            s += (pred[i] - targets[i]) * (double) (pred[i] - targets[i]);
        }
        return s / pred.length;
    }

    static float[] column(Tensor t) {
        return t.contiguous().toArray();
    }

    /**
     * @param argv options, see the class comment
     * @throws Exception when the plots cannot be written
     */
    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        int n = args.integer("points", 30);
        double noise = args.number("noise", 0.7);
        long seed = args.integer("seed", 7);
        int steps = args.integer("steps", 4000);
        double lr = args.number("lr", 0.05);
        Path out = args.outDir("overfitting");

        Rng rng = new Rng(seed);
        float[] v = new float[n], c = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (V_MIN + (V_MAX - V_MIN) * rng.nextDouble());
            c[i] = (float) (consumption(v[i]) + noise * rng.nextGaussian());
        }
        TensorDataset data = new TensorDataset(Tensor.of(v, n), Tensor.of(c, n));
        System.out.printf(Locale.ROOT, "%d speeds in [%.0f, %.0f] km/h, consumption 180/v + 2.5 + 0.0006 v^2 "
                + "L/100km plus noise of std %.2f (so the best possible MSE is about %.2f)%n", n, V_MIN, V_MAX, noise,
                noise * noise);
        System.out.println("3-fold cross-validation, MSE in (L/100km)^2:");
        System.out.println("  parameters   train MSE           validation MSE");

        int[] counts = {1, 2, 3, 4, 6, 8, 12, 20, 30};
        List<double[]> rows = new ArrayList<>();
        for (int p : counts) {
            Splits.CrossValidation cv = Splits.crossValidate(data, 3, seed, (fold, train, val) -> {
                Batch tb = all(train), vb = all(val);
                Tensor w = fit(column(tb.x()), column(tb.y()), p, steps, lr);
                return Map.of("train", mse(w, column(tb.x()), column(tb.y())),
                        "validation", mse(w, column(vb.x()), column(vb.y())));
            });
            System.out.printf(Locale.ROOT, "  %10d   %7.3f ± %-7.3f   %9.3f ± %.3f%s%n", p, cv.mean().get("train"),
                    cv.std().get("train"), cv.mean().get("validation"), cv.std().get("validation"),
                    p == 2 || p == 6 || p == 30 ? "   <- plotted" : "");
            rows.add(new double[] {p, cv.mean().get("train"), cv.mean().get("validation")});
        }

        double[] px = rows.stream().mapToDouble(r -> r[0]).toArray();
        double[] tr = rows.stream().mapToDouble(r -> Math.log10(r[1])).toArray();
        double[] va = rows.stream().mapToDouble(r -> Math.log10(r[2])).toArray();
        new LinePlot("3-fold cross-validation error against model size").xLabel("number of parameters")
                .yLabel("log10 MSE").markers(true).add("training", px, tr).add("validation", px, va)
                .add("noise level", new double[] {px[0], px[px.length - 1]},
                        new double[] {Math.log10(noise * noise), Math.log10(noise * noise)})
                .write(out.resolve("errors.svg"));

        double[] vd = new double[n], cd = new double[n];
        for (int i = 0; i < n; i++) {
            vd[i] = v[i];
            cd[i] = c[i];
        }
        ScatterPlot fits = new ScatterPlot("Fuel consumption against speed: fits on all points")
                .xLabel("speed (km/h)").yLabel("consumption (L/100 km)").xRange(V_MIN, V_MAX).yRange(0, 20)
                .pointRadius(4).points("measurements", vd, cd).curve("true c(v)", Overfitting::consumption, 200);
        for (int p : new int[] {2, 6, 30}) {
            Tensor w = fit(v, c, p, steps, lr);
            System.out.printf(Locale.ROOT, "fit of %2d parameters on all %d points: training MSE %.3f%n", p, n,
                    mse(w, v, c));
            fits.curve(p + " parameters", s -> predict(w, s), 400);
        }
        fits.write(out.resolve("fits.svg"));
        System.out.println("wrote " + out.resolve("fits.svg") + ", " + out.resolve("errors.svg"));
    }

    private static double predict(Tensor w, double speed) {
        return features(new float[] {(float) speed}, w.size(0)).matmul(w).item();
    }

    private static Batch all(Dataset d) {
        return d.gather(IntStream.range(0, d.size()).toArray());
    }
}
