package dev.frelon.examples;

import dev.frelon.autodiff.Variable;
import dev.frelon.core.Tensor;
import dev.frelon.nn.Penalties;
import dev.frelon.optim.Adam;
import dev.frelon.optim.Proximal;
import dev.frelon.optim.SGD;
import dev.frelon.optim.Schedulers;
import dev.frelon.train.plot.LinePlot;
import dev.frelon.train.plot.ScatterPlot;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A cubic through four points, three ways: maximum likelihood, ridge and lasso.
 *
 * <pre>
 *   bin/frelon run RidgeLasso [--lambda 0.01] [--steps 20000] [--out runs/ridge-lasso]
 * </pre>
 *
 * <p>With Gaussian noise, maximum likelihood is least squares; a cubic has four coefficients, so it passes
 * through the four points exactly, with huge coefficients of alternating sign that swing wildly between the
 * points. Ridge regression is the maximum a posteriori estimate under a zero-mean Gaussian prior on the
 * coefficients: it minimises {@code ‖V·c − y‖² + λ‖c‖²}, whose minimiser is the closed form
 * {@code (VᵀV + λI)⁻¹Vᵀy}. Here Frelon finds it by gradient descent on that loss (autodiff, {@code Penalties.l2},
 * Adam) and Commons Math by the closed form, and the two agree. The lasso (a Laplace prior) minimises
 * {@code ½‖V·c − y‖² + λ‖c‖₁}; Frelon solves it by accelerated proximal gradient descent (FISTA: a gradient step on
 * the squared error, then {@code Proximal.softThreshold}), and as λ grows whole coefficients become exactly 0.
 *
 * <p>Prints the three coefficient vectors and the lasso's path; writes {@code fits.svg} (the points and the three
 * curves), {@code ridge-path.svg} and {@code lasso-path.svg} (each coefficient against log10 λ).
 */
public final class RidgeLasso {
    /** Four noisy observations of a smooth curve on [0, 1]. */
    static final double[] X = {0.1, 0.3, 0.45, 0.8};
    static final double[] Y = {0.9, 0.2, 0.85, 0.3};
    static final int K = 4;

    private RidgeLasso() {
    }

    /** The Vandermonde matrix [1, x, x², x³] of the points. */
    static double[][] vandermonde() {
        double[][] v = new double[X.length][K];
        for (int i = 0; i < X.length; i++) {
            for (int k = 0; k < K; k++) {
                v[i][k] = Math.pow(X[i], k);
            }
        }
        return v;
    }

    /** @return the maximum-likelihood cubic: the one through the four points, V·c = y */
    static double[] maximumLikelihood() {
        return new LUDecomposition(new Array2DRowRealMatrix(vandermonde(), false)).getSolver()
                .solve(new ArrayRealVector(Y)).toArray();
    }

    /**
     * @param lambda the ridge strength
     * @return {@code (VᵀV + λI)⁻¹Vᵀy} by Commons Math
     */
    static double[] ridgeClosedForm(double lambda) {
        RealMatrix v = new Array2DRowRealMatrix(vandermonde(), false);
        RealMatrix a = v.transpose().multiply(v).add(MatrixUtils.createRealIdentityMatrix(K).scalarMultiply(lambda));
        return new LUDecomposition(a).getSolver().solve(v.transpose().operate(new ArrayRealVector(Y))).toArray();
    }

    private static Tensor design() {
        double[][] v = vandermonde();
        float[] f = new float[X.length * K];
        for (int i = 0; i < X.length; i++) {
            for (int k = 0; k < K; k++) {
                f[i * K + k] = (float) v[i][k];
            }
        }
        return Tensor.of(f, X.length, K);
    }

    private static Tensor targets() {
        float[] t = new float[Y.length];
        for (int i = 0; i < Y.length; i++) {
            t[i] = (float) Y[i];
        }
        return Tensor.of(t, Y.length, 1);
    }

    /**
     * Ridge by gradient descent: Adam on {@code ‖V·c − y‖² + λ·Penalties.l2(c)}, full batch, cosine-annealed.
     *
     * @param lambda the ridge strength
     * @param steps Adam steps
     * @return the coefficients c0..c3
     */
    static double[] ridgeByGradientDescent(double lambda, int steps) {
        Variable v = Variable.of(design()), y = Variable.of(targets());
        Variable c = Variable.parameter(Tensor.zeros(K, 1));
        Adam opt = new Adam(List.of(c), 0.05);
        var schedule = new Schedulers.CosineAnnealingLR(opt, steps, 1e-5);
        for (int step = 0; step < steps; step++) {
            Variable loss = v.matmul(c).sub(y).square().sum().add(Penalties.l2(List.of(c)).mul(lambda));
            opt.zeroGrad();
            loss.backward();
            opt.step();
            schedule.step();
        }
        return toDouble(c.data().toArray());
    }

    /**
     * The lasso by FISTA: a gradient step of size 1/L on {@code ½‖V·c − y‖²} (L the largest eigenvalue of VᵀV) from
     * an extrapolated point, then the soft threshold λ/L.
     *
     * @param lambda the L1 strength
     * @param steps iterations
     * @return the coefficients c0..c3
     */
    static double[] lasso(double lambda, int steps) {
        RealMatrix vm = new Array2DRowRealMatrix(vandermonde(), false);
        double lipschitz = 0;
        for (double e : new EigenDecomposition(vm.transpose().multiply(vm)).getRealEigenvalues()) {
            lipschitz = Math.max(lipschitz, e);
        }
        double step = 1 / lipschitz;
        Variable v = Variable.of(design()), y = Variable.of(targets());
        Variable point = Variable.parameter(Tensor.zeros(K, 1));         // where the gradient is taken
        SGD opt = new SGD(List.of(point), step);
        Tensor previous = Tensor.zeros(K, 1);
        double t = 1;
        for (int i = 0; i < steps; i++) {
            opt.zeroGrad();
            v.matmul(point).sub(y).square().sum().mul(0.5f).backward();
            opt.step();
            Proximal.softThreshold(List.of(point), lambda * step);       // point now holds the new iterate c_k
            Tensor current = point.data().copy();
            double tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
            // Extrapolate: the next gradient is taken at c_k + (t − 1)/t' · (c_k − c_{k−1}).
            point.data().copyFrom(current.add(current.sub(previous).mul((float) ((t - 1) / tNext))));
            previous = current;
            t = tNext;
        }
        double[] c = toDouble(previous.toArray());
        for (int k = 0; k < K; k++) {
            c[k] += 0.0;                                                // -0.0, from sign(−w)·0, prints as 0
        }
        return c;
    }

    /**
     * The lasso by cyclic coordinate descent in double precision, the reference for {@link #lasso}.
     *
     * @param lambda the L1 strength
     * @return the coefficients c0..c3
     */
    static double[] lassoReference(double lambda) {
        double[][] v = vandermonde();
        double[] c = new double[K];
        for (int sweep = 0; sweep < 200_000; sweep++) {
            double change = 0;
            for (int k = 0; k < K; k++) {
                double rho = 0, norm = 0;
                for (int i = 0; i < X.length; i++) {
                    double partial = Y[i];
                    for (int j = 0; j < K; j++) {
                        partial -= j == k ? 0 : v[i][j] * c[j];
                    }
                    rho += v[i][k] * partial;
                    norm += v[i][k] * v[i][k];
                }
                double next = Math.signum(rho) * Math.max(Math.abs(rho) - lambda, 0) / norm;
                change = Math.max(change, Math.abs(next - c[k]));
                c[k] = next;
            }
            if (change < 1e-13) {
                break;
            }
        }
        return c;
    }

    /**
     * @param argv options, see the class comment
     * @throws Exception when a plot cannot be written
     */
    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        double lambda = args.number("lambda", 0.01);
        int steps = args.integer("steps", 20000);
        Path out = args.outDir("ridge-lasso");

        double[] ml = maximumLikelihood();
        double[] ridge = ridgeByGradientDescent(lambda, steps);
        double[] ridgeExact = ridgeClosedForm(lambda);
        double[] lasso = lasso(lambda, steps);
        System.out.println("coefficients c0 + c1·x + c2·x² + c3·x³ of a cubic through four points:");
        System.out.println("  maximum likelihood (through every point):   " + format(ml));
        System.out.printf(Locale.ROOT, "  ridge, λ = %-6s gradient descent:          %s%n", lambda, format(ridge));
        System.out.printf(Locale.ROOT, "  ridge, λ = %-6s (VᵀV + λI)⁻¹Vᵀy:            %s   max |difference| %.1e%n",
                lambda, format(ridgeExact), maxDifference(ridge, ridgeExact));
        System.out.printf(Locale.ROOT, "  lasso, λ = %-6s proximal gradient descent: %s%n", lambda, format(lasso));

        ScatterPlot fits = new ScatterPlot("A cubic through four points").xLabel("x").yLabel("y").xRange(0, 1)
                .yRange(-1, 2.5).pointRadius(5).points("data", X, Y);
        fits.curve("maximum likelihood", x -> PolynomialRegression.horner(ml, x), 200);
        fits.curve("ridge λ = " + lambda, x -> PolynomialRegression.horner(ridge, x), 200);
        fits.curve("lasso λ = " + lambda, x -> PolynomialRegression.horner(lasso, x), 200);
        fits.write(out.resolve("fits.svg"));

        int points = 25;
        double[] logLambda = new double[points];
        double[][] ridgePath = new double[K][points], lassoPath = new double[K][points];
        System.out.println("\nthe lasso's path (zeros appear as λ grows):");
        for (int p = 0; p < points; p++) {
            logLambda[p] = -5 + 5.0 * p / (points - 1);
            double l = Math.pow(10, logLambda[p]);
            double[] r = ridgeClosedForm(l), s = lasso(l, steps);
            int zeros = 0;
            for (int k = 0; k < K; k++) {
                ridgePath[k][p] = r[k];
                lassoPath[k][p] = s[k];
                zeros += s[k] == 0 ? 1 : 0;
            }
            if (p % 4 == 0 || p == points - 1) {
                System.out.printf(Locale.ROOT, "  λ = %-8.2g %s   %d zero%n", l, format(s), zeros);
            }
        }
        LinePlot ridgePlot = new LinePlot("Ridge coefficients against log10 λ").xLabel("log10 λ").yLabel("coefficient");
        LinePlot lassoPlot = new LinePlot("Lasso coefficients against log10 λ").xLabel("log10 λ").yLabel("coefficient");
        for (int k = 0; k < K; k++) {
            ridgePlot.add("c" + k, logLambda, ridgePath[k]);
            lassoPlot.add("c" + k, logLambda, lassoPath[k]);
        }
        ridgePlot.write(out.resolve("ridge-path.svg"));
        lassoPlot.write(out.resolve("lasso-path.svg"));
        System.out.println("wrote " + out.resolve("fits.svg") + ", ridge-path.svg, lasso-path.svg");
    }

    static double maxDifference(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static String format(double[] c) {
        StringBuilder sb = new StringBuilder("[");
        for (int k = 0; k < c.length; k++) {
            sb.append(k == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%9.4f", c[k]));
        }
        return sb.append(']').toString();
    }
}
