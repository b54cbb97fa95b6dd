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
import dev.frelon.optim.ParamGroup;
import dev.frelon.optim.Schedulers;
import dev.frelon.train.plot.ScatterPlot;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A one-hidden-layer network {@code f(x) = w3ᵀ·ReLU(w1·x + b1) + b3} fitting a 1-D terrain profile, with
 * H = 10, 100 and 1000 hidden units. Each hidden unit contributes one "kink" at {@code x = −b1ᵢ/w1ᵢ}, so f is
 * piecewise affine with at most H + 1 pieces: with 10 units it can only sketch the hills and cuts the peak,
 * with 1000 it follows the peak and most of the small bumps.
 *
 * <pre>
 *   bin/frelon run TerrainMlp [--hidden 10,100,1000] [--steps 4000] [--lr 0.01] [--points 501] [--seed 1] [--out runs/terrain]
 * </pre>
 *
 * <p>The terrain is the deterministic profile {@link #terrain} on [-1, 1] (two superposed ridges, a sharp
 * peak, a crease at 0 and a slope), sampled at {@code --points} evenly spaced positions. Each network starts
 * with its kinks spread over the terrain ({@link #spreadKinks}) and is trained by full-batch Adam on the
 * mean squared error with a cosine-annealed learning rate, the hidden layer at a tenth of the output
 * layer's rate. Gradient descent picks up fine detail slowly, so more steps still help the widest net.
 * Prints, per H,
 * the final MSE and how many kinks fall inside the terrain; writes {@code terrain.svg} with the profile and
 * the three fits.
 */
public final class TerrainMlp {

    private TerrainMlp() {
    }

    /** The terrain height at position x in [-1, 1]. */
    static double terrain(double x) {
        return 0.5 * Math.sin(2.5 * Math.PI * x) + 0.15 * Math.sin(19 * x + 0.5) + 0.4 * Math.abs(x)
                + 0.9 * Math.exp(-(x - 0.35) * (x - 0.35) / 0.004) + 0.3 * x;
    }

    /**
     * What one network reached.
     *
     * @param hidden H
     * @param mse the final mean squared error on the samples
     * @param kinks hidden units whose kink lies inside [-1, 1] (and which reach the output)
     * @param model the trained network
     */
    record Result(int hidden, double mse, int kinks, Sequential model) {
        double predict(double x) {
            try (var _ = Grad.noGrad()) {
                return model.forward(Tensor.of(new float[] {(float) x}, 1, 1)).item();
            }
        }
    }

    /**
     * Trains one network.
     *
     * @param hidden H
     * @param points the number of samples of the terrain
     * @param steps full-batch Adam steps
     * @param lr the initial learning rate
     * @param seed the initialisation seed
     * @return the result
     */
    static Result train(int hidden, int points, int steps, double lr, long seed) {
        return train(hidden, points, steps, lr, 0.1, seed);
    }

    static Result train(int hidden, int points, int steps, double lr, double hiddenLrFactor, long seed) {
        float[] xs = new float[points], ys = new float[points];
        for (int i = 0; i < points; i++) {
            xs[i] = -1f + 2f * i / (points - 1);
            ys[i] = (float) terrain(xs[i]);
        }
        Tensor x = Tensor.of(xs, points, 1), y = Tensor.of(ys, points, 1);
        Rng rng = new Rng(seed);
        Linear hiddenLayer = new Linear(1, hidden, true, rng), output = new Linear(hidden, 1, true, rng);
        spreadKinks(hiddenLayer, rng);
        Sequential model = new Sequential(hiddenLayer, new ReLU(), output);
        // The hidden layer learns 10x slower than the output layer: at the same rate Adam moves all kinks at
        // the same speed and they pile up on the steepest feature (the peak), leaving flat stretches elsewhere.
        Adam opt = new Adam(List.of(
                new ParamGroup<>(hiddenLayer.parameters(), lr * hiddenLrFactor, Adam.DEFAULTS),
                new ParamGroup<>(output.parameters(), lr, Adam.DEFAULTS)));
        var schedule = new Schedulers.CosineAnnealingLR(opt, steps, lr / 100);
        double mse = Double.NaN;
        for (int s = 0; s < steps; s++) {
            Variable loss = Losses.mse(model.forward(x), y);
            opt.zeroGrad();
            loss.backward();
            opt.step();
            schedule.step();
        }
        try (var _ = Grad.noGrad()) {
            mse = Losses.mse(model.forward(x), y).item();
        }
        float[] w1 = hiddenLayer.weight().data().toArray(), b1 = hiddenLayer.bias().data().toArray();
        float[] w3 = output.weight().data().toArray();
        int kinks = 0;
        for (int j = 0; j < hidden; j++) {
            double at = -b1[j] / w1[j];
            if (w1[j] != 0 && w3[j] != 0 && at > -1 && at < 1) {
                kinks++;
            }
        }
        return new Result(hidden, mse, kinks, model);
    }

    /**
     * Re-initialises the hidden layer so that its kinks start spread evenly over the terrain: unit i gets
     * a slope w1ᵢ = ±1 (random sign) and a bias putting its kink at a uniformly random position in [-1, 1].
     * (PyTorch's default, w1 and b1 uniform in [-1, 1], leaves more than half of the kinks outside the
     * terrain, where they are wasted, and gradient descent moves kinks only slowly.)
     */
    static void spreadKinks(Linear layer, Rng rng) {
        Tensor w = layer.weight().data(), b = layer.bias().data();
        for (int i = 0; i < w.size(0); i++) {
            float slope = rng.nextFloat() < 0.5f ? -1f : 1f;
            float at = 2f * rng.nextFloat() - 1f;
            w.set(slope, i, 0);
            b.set(-slope * at, i);
        }
    }

    /**
     * @param argv options, see the class comment
     * @throws Exception when the plot cannot be written
     */
    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        int[] hidden = Arrays.stream(args.string("hidden", "10,100,1000").split(",")).map(String::trim)
                .mapToInt(Integer::parseInt).toArray();
        int steps = args.integer("steps", 4000), points = args.integer("points", 501);
        double lr = args.number("lr", 0.01);
        long seed = args.integer("seed", 1);
        Path out = args.outDir("terrain");

        double[] grid = new double[1001];
        Arrays.setAll(grid, i -> -1 + 2.0 * i / (grid.length - 1));
        ScatterPlot plot = new ScatterPlot("One hidden ReLU layer fitting a terrain profile").size(800, 480)
                .xLabel("position x").yLabel("height").xRange(-1, 1)
                .curve("terrain", grid, Arrays.stream(grid).map(TerrainMlp::terrain).toArray());
        for (int h : hidden) {
            long t0 = System.nanoTime();
            Result r = train(h, points, steps, lr, seed);
            System.out.printf(Locale.ROOT, "H = %4d: MSE %.6f, %d of %d kinks inside [-1, 1] (at most %d affine "
                    + "pieces), %.1f s%n", h, r.mse(), r.kinks(), h, r.kinks() + 1, (System.nanoTime() - t0) / 1e9);
            plot.curve("H = " + h, r::predict, 1000);
        }
        plot.write(out.resolve("terrain.svg"));
        System.out.println("wrote " + out.resolve("terrain.svg"));
    }
}
