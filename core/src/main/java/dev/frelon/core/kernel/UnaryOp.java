package dev.frelon.core.kernel;

/**
 * The elementwise unary operations the kernels know. {@link #apply} is the scalar definition every kernel
 * path must agree with (the SIMD path to within a few ulps for the transcendental ones).
 */
public enum UnaryOp {
    /** {@code -x}. */ NEG,
    /** {@code e^x}. */ EXP,
    /** natural logarithm; {@code -inf} at 0, NaN below. */ LOG,
    /** square root; NaN below 0. */ SQRT,
    /** {@code |x|}. */ ABS,
    /** -1, 0 or 1 (NaN stays NaN). */ SIGN,
    /** hyperbolic tangent. */ TANH,
    /** logistic sigmoid {@code 1 / (1 + e^-x)}. */ SIGMOID,
    /** {@code max(x, 0)}; NaN stays NaN (as {@link Math#max} and PyTorch). */ RELU,
    /** {@code x * x}. */ SQUARE,
    /** {@code 1 / x}. */ RECIPROCAL;

    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    /**
     * The operation's name as the tensor API spells it ({@code exp}, {@code sqrt}...), for error messages; made once,
     * not on every call.
     *
     * @return the lower-case name
     */
    public String label() {
        return label;
    }

    /**
     * Applies this operation to one value.
     *
     * @param x the operand
     * @return the result, as defined on each constant
     */
    public float apply(float x) {
        return switch (this) {
            case NEG -> -x;
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case SQRT -> (float) Math.sqrt(x);
            case ABS -> Math.abs(x);
            case SIGN -> Math.signum(x);
            case TANH -> (float) Math.tanh(x);
            case SIGMOID -> sigmoid(x);
            case RELU -> Math.max(x, 0f);
            case SQUARE -> x * x;
            case RECIPROCAL -> 1f / x;
        };
    }

    /**
     * Applies this operation to one float64 value: the same definitions, with {@link StrictMath} for the
     * transcendental ones so that the result is fixed by the Java specification in every JIT state.
     *
     * @param x the operand
     * @return the result
     */
    public double apply(double x) {
        return switch (this) {
            case NEG -> -x;
            case EXP -> StrictMath.exp(x);
            case LOG -> StrictMath.log(x);
            case SQRT -> Math.sqrt(x);
            case ABS -> Math.abs(x);
            case SIGN -> Math.signum(x);
            case TANH -> StrictMath.tanh(x);
            case SIGMOID -> x >= 0 ? 1 / (1 + StrictMath.exp(-x)) : StrictMath.exp(x) / (1 + StrictMath.exp(x));
            case RELU -> Math.max(x, 0);
            case SQUARE -> x * x;
            case RECIPROCAL -> 1 / x;
        };
    }

    /** Sigmoid computed without overflow for large |x|. */
    static float sigmoid(float x) {
        if (x >= 0f) {
            return (float) (1.0 / (1.0 + Math.exp(-x)));
        }
        double e = Math.exp(x);
        return (float) (e / (1.0 + e));
    }
}
