package dev.frelon.autodiff;

import dev.frelon.core.DType;
import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;
import dev.frelon.core.TensorStorage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Checks analytic gradients against central finite differences. The function's output is reduced to the
 * scalar {@code L = Σ f(x)·R} with a fixed random R (so any output shape works); for each input element
 * {@code ∂L/∂x ≈ (L(x+ε) − L(x−ε)) / (2ε)}, with L accumulated in double and the actual step (as the input's
 * dtype holds it) used as the divisor. An element passes when {@code |analytic − numeric| <= atol + rtol·|numeric|}.
 *
 * <p><b>Precision.</b> The check runs in the inputs' dtype. In float32 the rounding of each evaluation limits it to
 * tolerances of about 1e-2 ({@link Options#DEFAULT}); in float64 it holds to about 1e-6 ({@link Options#FLOAT64}),
 * which is where a gradient check belongs. {@link #checkFloat64} converts float32 inputs to float64 first, as
 * PyTorch's {@code gradcheck} asks for double inputs. Inputs that are all float64 get {@link Options#FLOAT64} by
 * default.
 *
 * <p>The inputs are used as given (so non-contiguous views are checked as views); each element is
 * perturbed in place and restored exactly.
 *
 * <pre>{@code
 * GradCheck.Report r = GradCheck.check(x -> x[0].mul(x[1]).sum(), a, b);
 * assertTrue(r.passed(), r.toString());
 * }</pre>
 */
public final class GradCheck {

    /** The function under test: from leaf variables to an output of any shape. */
    @FunctionalInterface
    public interface Fn {
        /**
         * Evaluates the function; it is called once with gradient-recording leaves and then twice per checked
         * element under {@link Grad#noGrad()}, and must give an output of the same size every time.
         *
         * @param inputs one leaf per input tensor, in order
         * @return the output
         */
        Variable apply(Variable[] inputs);
    }

    /**
     * Step and tolerances. {@link #DEFAULT} suits float32 values of order 1, {@link #FLOAT64} float64 ones.
     *
     * @param eps finite-difference step
     * @param atol absolute tolerance
     * @param rtol relative tolerance
     * @param seed seed of the random reduction weights R
     */
    public record Options(double eps, double atol, double rtol, long seed) {
        /** ε = 1e-2, atol = 1e-2, rtol = 1e-2. */
        public static final Options DEFAULT = new Options(1e-2f, 1e-2, 1e-2, 7L);

        /** ε = 1e-6, atol = 1e-6, rtol = 1e-5: float64 evaluations, whose rounding is far below the step's error. */
        public static final Options FLOAT64 = new Options(1e-6, 1e-6, 1e-5, 7L);
    }

    /**
     * How one input fared.
     *
     * @param input position of the input
     * @param maxAbsError largest |analytic − numeric| over its elements
     * @param maxRelError largest |analytic − numeric| / max(|numeric|, 1e-6)
     * @param worstIndex flat index of the element with the largest excess over the tolerance
     * @param passed whether every element was within tolerance
     */
    public record InputReport(int input, double maxAbsError, double maxRelError, int worstIndex, boolean passed) {
    }

    /**
     * The outcome of one check: a report per checked tensor and the overall verdict; {@link #toString()} prints
     * one line per input, marking those that failed.
     *
     * @param inputs one report per input (then one per parameter, when parameters were checked)
     * @param passed whether all inputs passed
     */
    public record Report(List<InputReport> inputs, boolean passed) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(passed ? "GradCheck passed" : "GradCheck FAILED");
            for (InputReport r : inputs) {
                sb.append(String.format(Locale.ROOT, "%n  input %d: max abs error %.3e, max rel error %.3e, worst element %d%s",
                        r.input(), r.maxAbsError(), r.maxRelError(), r.worstIndex(), r.passed() ? "" : "  <-- FAILED"));
            }
            return sb.toString();
        }
    }

    private GradCheck() {
    }

    /**
     * Checks the gradients of {@code f} with respect to every input, with {@link Options#DEFAULT}.
     *
     * @param f the function
     * @param inputs the points (every input is differentiated); perturbed in place and restored
     * @return the report
     * @throws IllegalArgumentException when the output does not depend on any input
     */
    public static Report check(Fn f, Tensor... inputs) {
        boolean allFloat64 = inputs.length > 0;
        for (Tensor t : inputs) {
            allFloat64 &= t.dtype() == DType.FLOAT64;
        }
        return check(f, allFloat64 ? Options.FLOAT64 : Options.DEFAULT, inputs);
    }

    /**
     * Checks {@code f} in float64: float32 inputs are converted (others used as given) and the tolerances are
     * {@link Options#FLOAT64}. Every operation {@code f} uses must support float64.
     *
     * @param f the function
     * @param inputs the points to check at; float32 ones are copied to float64
     * @return the report
     */
    public static Report checkFloat64(Fn f, Tensor... inputs) {
        Tensor[] wide = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            wide[i] = inputs[i].dtype() == DType.FLOAT32 ? inputs[i].to(DType.FLOAT64) : inputs[i];
        }
        return check(f, Options.FLOAT64, wide);
    }

    /**
     * Checks the gradients of {@code f} with respect to every input, with the given step and tolerances.
     *
     * @param f the function
     * @param options step and tolerances
     * @param inputs the points (every input is differentiated); perturbed in place and restored
     * @return the report
     * @throws IllegalArgumentException when the output does not depend on any input
     */
    public static Report check(Fn f, Options options, Tensor... inputs) {
        return check(f, java.util.List.of(), options, inputs);
    }

    /**
     * Also checks parameters the function uses internally (a layer's weights): their gradients are cleared,
     * computed by one backward, and compared with finite differences of their values. Reports list the
     * inputs first, then the parameters.
     *
     * @param f the function (it may read {@code parameters})
     * @param parameters leaves used by f whose gradients are checked too
     * @param options step and tolerances
     * @param inputs the points
     * @return the report
     */
    public static Report check(Fn f, List<Variable> parameters, Options options, Tensor... inputs) {
        for (int i = 0; i < inputs.length; i++) {
            if (!inputs[i].dtype().isFloatingPoint()) {
                throw new IllegalArgumentException("GradCheck: input " + i + " is " + inputs[i].dtype() + " (shape "
                        + Arrays.toString(inputs[i].shape()) + "); gradients exist for float32 and float64 inputs only");
            }
            if (TensorStorage.isExpanded(inputs[i])) { // perturbing one element would perturb all its aliases
                throw new IllegalArgumentException("GradCheck: input " + i + " is an expanded view (shape "
                        + Arrays.toString(inputs[i].shape()) + ", strides "
                        + Arrays.toString(TensorStorage.strides(inputs[i])) + "); pass a contiguous() copy of it");
            }
        }
        Variable[] leaves = new Variable[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            leaves[i] = Variable.parameter(inputs[i]);
        }
        for (Variable p : parameters) {
            p.zeroGrad();
        }
        Variable out = f.apply(leaves);
        Tensor r = Tensor.uniform(new Rng(options.seed()), -1f, 1f, out.shape());
        if (!out.requiresGrad()) {
            throw new IllegalArgumentException("GradCheck: the function's output does not depend on any input");
        }
        out.backward(r);
        double[] rv = r.toDoubleArray();
        List<InputReport> reports = new ArrayList<>();
        boolean all = true;
        int total = inputs.length + parameters.size();
        for (int i = 0; i < total; i++) {
            boolean isInput = i < inputs.length;
            Tensor x = isInput ? inputs[i] : parameters.get(i - inputs.length).data();
            Tensor g = isInput ? leaves[i].grad() : parameters.get(i - inputs.length).grad();
            double[] analytic = g == null ? new double[x.numel()] : g.toDoubleArray();
            int[] shape = x.shape();
            int[] idx = new int[shape.length];
            double maxAbs = 0, maxRel = 0, worstExcess = Double.NEGATIVE_INFINITY;
            int worst = -1;
            boolean ok = true;
            for (int flat = 0; flat < analytic.length; flat++) {
                unravel(flat, shape, idx);
                double orig = x.getDouble(idx);
                // The steps as the input's dtype holds them: for float32, rounded to float, as set() stores them.
                x.set(orig + options.eps(), idx);
                double xp = x.getDouble(idx);
                double lp = reduce(f, inputs, rv);
                x.set(orig - options.eps(), idx);
                double xm = x.getDouble(idx);
                double lm = reduce(f, inputs, rv);
                x.set(orig, idx);
                double numeric = (lp - lm) / (xp - xm);
                double err = Math.abs(analytic[flat] - numeric);
                maxAbs = Math.max(maxAbs, err);
                maxRel = Math.max(maxRel, err / Math.max(Math.abs(numeric), 1e-6));
                double excess = err - (options.atol() + options.rtol() * Math.abs(numeric));
                if (excess > worstExcess) {
                    worstExcess = excess;
                    worst = flat;
                }
                if (!(excess <= 0)) {
                    ok = false;
                }
            }
            all &= ok;
            reports.add(new InputReport(i, maxAbs, maxRel, worst, ok));
        }
        return new Report(List.copyOf(reports), all);
    }

    /**
     * Like {@link #check} but throws an {@link AssertionError} carrying the report when a gradient is off.
     *
     * @param f the function
     * @param inputs the points
     */
    public static void assertGradients(Fn f, Tensor... inputs) {
        Report r = check(f, inputs);
        if (!r.passed()) {
            throw new AssertionError(r.toString());
        }
    }

    private static double reduce(Fn f, Tensor[] inputs, double[] r) {
        Variable[] vs = new Variable[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            vs[i] = Variable.of(inputs[i]);
        }
        double[] y;
        try (var _ = Grad.noGrad()) {
            y = f.apply(vs).data().toDoubleArray();
        }
        if (y.length != r.length) {
            throw new IllegalStateException("GradCheck: output size changed from " + r.length + " to " + y.length
                    + " under a perturbation of " + Arrays.toString(inputs[0].shape()));
        }
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += y[i] * r[i];
        }
        return s;
    }

    private static void unravel(int flat, int[] shape, int[] idx) {
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
    }
}
