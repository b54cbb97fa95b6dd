package dev.frelon.examples;

import dev.frelon.autodiff.Variable;
import dev.frelon.core.Tensor;
import dev.frelon.nn.Losses;
import dev.frelon.optim.Adam;
import dev.frelon.optim.Schedulers;
import dev.frelon.train.plot.ScatterPlot;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Polynomial regression on five points, two ways: minimising the mean squared error by gradient descent
 * (Frelon's autodiff and the Adam optimizer), and the closed-form least-squares solution (a QR decomposition
 * of the Vandermonde matrix, from Apache Commons Math). For degrees 1 to 4 both give the same polynomial.
 *
 * <pre>
 *   bin/frelon run PolynomialRegression [--steps 6000] [--lr 0.05] [--out runs/polynomial]
 * </pre>
 *
 * <p>The points are (x, y) = (-3.1, 23.7), (1.2, 31.3), (4.3, 79.9), (6.2, 101.9), (9.1, 205.5). Gradient
 * descent works on standardised data ({@code z = (x − mean)/std}, y likewise): on the raw x the features
 * 1, x, …, x⁴ range from 1 to about 7,000 and plain gradient descent would need millions of steps. The
 * coefficients found for z are then expanded back into coefficients of x, so the two methods are compared
 * on the same numbers. Degree 4 has as many coefficients as there are points, so its fit passes through all
 * five exactly (MSE 0).
 *
 * <p>Prints, per degree, both coefficient vectors (constant term first), their largest difference relative
 * to the largest coefficient, and both MSEs; writes {@code fits.svg} with the points and the four fitted
 * curves.
 */
public final class PolynomialRegression {
    static final double[] X = {-3.1, 1.2, 4.3, 6.2, 9.1};
    static final double[] Y = {23.7, 31.3, 79.9, 101.9, 205.5};

    private PolynomialRegression() {
    }

    /**
     * One degree's result.
     *
     * @param degree the polynomial degree
     * @param gradientDescent coefficients c0..cd of x found by gradient descent
     * @param leastSquares coefficients c0..cd of x from the closed form
     * @param gdMse the MSE of the gradient-descent polynomial on the five points
     * @param lsMse the MSE of the least-squares polynomial
     */
    record Fit(int degree, double[] gradientDescent, double[] leastSquares, double gdMse, double lsMse) {
        /** @return the largest coefficient difference divided by the largest least-squares coefficient */
        double relativeDifference() {
            double maxDiff = 0, scale = 0;
            for (int k = 0; k <= degree; k++) {
                maxDiff = Math.max(maxDiff, Math.abs(gradientDescent[k] - leastSquares[k]));
                scale = Math.max(scale, Math.abs(leastSquares[k]));
            }
            return maxDiff / scale;
        }

        /** @return the largest absolute coefficient difference */
        double maxDifference() {
            double maxDiff = 0;
            for (int k = 0; k <= degree; k++) {
                maxDiff = Math.max(maxDiff, Math.abs(gradientDescent[k] - leastSquares[k]));
            }
            return maxDiff;
        }
    }

    /** The closed form: minimises ‖V·c − y‖² with V the Vandermonde matrix [x^0 .. x^d], by QR. */
    static double[] leastSquares(int degree) {
        double[][] v = new double[X.length][degree + 1];
        for (int i = 0; i < X.length; i++) {
            for (int k = 0; k <= degree; k++) {
                v[i][k] = Math.pow(X[i], k);
            }
        }
        RealMatrix vm = new Array2DRowRealMatrix(v, false);
        return new QRDecomposition(vm).getSolver().solve(new ArrayRealVector(Y)).toArray();
    }

    /**
     * Gradient descent on the MSE of a polynomial of standardised x, returned as coefficients of x.
     *
     * @param degree 1 to 4
     * @param steps full-batch Adam steps
     * @param lr the initial learning rate (cosine-annealed to lr/1000)
     * @return coefficients c0..cd of x
     */
    static double[] gradientDescent(int degree, int steps, double lr) {
        double mx = mean(X), sx = std(X, mx), my = mean(Y), sy = std(Y, my);
        float[] z = new float[X.length * (degree + 1)];
        float[] t = new float[Y.length];
        for (int i = 0; i < X.length; i++) {
            double zi = (X[i] - mx) / sx;
            for (int k = 0; k <= degree; k++) {
                z[i * (degree + 1) + k] = (float) Math.pow(zi, k);
            }
            t[i] = (float) ((Y[i] - my) / sy);
        }
        Tensor features = Tensor.of(z, X.length, degree + 1);
        Tensor target = Tensor.of(t, Y.length, 1);
        // The model is linear in its parameters, so the loss is convex: starting from zero is fine.
        Variable w = Variable.parameter(Tensor.zeros(degree + 1, 1));
        Adam opt = new Adam(java.util.List.of(w), lr);
        var schedule = new Schedulers.CosineAnnealingLR(opt, steps, lr / 1000);
        Variable f = Variable.of(features);
        for (int step = 0; step < steps; step++) {
            Variable loss = Losses.mse(f.matmul(w), target);
            opt.zeroGrad();
            loss.backward();
            opt.step();
            schedule.step();
        }
        // p(x) = my + sy * sum_k a_k ((x - mx)/sx)^k, expanded with the binomial theorem.
        float[] a = w.data().toArray();
        double[] c = new double[degree + 1];
        for (int k = 0; k <= degree; k++) {
            double ak = sy * a[k] / Math.pow(sx, k);
            for (int j = 0; j <= k; j++) {
                c[j] += ak * binomial(k, j) * Math.pow(-mx, k - j);
            }
        }
        c[0] += my;
        return c;
    }

    /**
     * Fits one degree both ways.
     *
     * @param degree 1 to 4
     * @param steps gradient-descent steps
     * @param lr the initial learning rate
     * @return both fits
     */
    static Fit fit(int degree, int steps, double lr) {
        double[] gd = gradientDescent(degree, steps, lr);
        double[] ls = leastSquares(degree);
        return new Fit(degree, gd, ls, mse(gd), mse(ls));
    }

    /**
     * @param argv options, see the class comment
     * @throws Exception when the plot cannot be written
     */
    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        int steps = args.integer("steps", 6000);
        double lr = args.number("lr", 0.05);
        Path out = args.outDir("polynomial");

        ScatterPlot plot = new ScatterPlot("Polynomial least squares on five points").xLabel("x").yLabel("y")
                .yRange(-50, 250).pointRadius(5).points("data", X, Y);
        double worst = 0;
        for (int d = 1; d <= 4; d++) {
            Fit f = fit(d, steps, lr);
            System.out.printf(Locale.ROOT, "degree %d%n", d);
            System.out.println("  gradient descent: " + format(f.gradientDescent()) + String.format(Locale.ROOT,
                    "   MSE %.6f", f.gdMse()));
            System.out.println("  least squares:    " + format(f.leastSquares()) + String.format(Locale.ROOT,
                    "   MSE %.6f", f.lsMse()));
            System.out.printf(Locale.ROOT, "  max |difference| %.3g (%.2g of the largest coefficient)%n",
                    f.maxDifference(), f.relativeDifference());
            worst = Math.max(worst, f.relativeDifference());
            double[] c = f.leastSquares();
            plot.curve("degree " + d, x -> horner(c, x), 200);
        }
        System.out.printf(Locale.ROOT, "%nlargest relative coefficient difference over degrees 1-4: %.2g (%s)%n",
                worst, worst < 1e-3 ? "the two methods agree" : "NOT in agreement: try more --steps");
        plot.write(out.resolve("fits.svg"));
        System.out.println("wrote " + out.resolve("fits.svg"));
    }

    static double horner(double[] c, double x) {
        double y = 0;
        for (int k = c.length - 1; k >= 0; k--) {
            y = y * x + c[k];
        }
        return y;
    }

    static double mse(double[] c) {
        double s = 0;
        for (int i = 0; i < X.length; i++) {
            double e = horner(c, X[i]) - Y[i];
            s += e * e;
        }
        return s / X.length;
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElseThrow();
    }

    private static double std(double[] v, double m) {
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / v.length);
    }

    private static double binomial(int n, int k) {
        double r = 1;
        for (int i = 1; i <= k; i++) {
            r = r * (n - k + i) / i;
        }
        return r;
    }

    private static String format(double[] c) {
        StringBuilder sb = new StringBuilder("[");
        for (int k = 0; k < c.length; k++) {
            sb.append(k == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%10.5f", c[k]));
        }
        return sb.append(']').toString();
    }
}
