package dev.frelon.core.kernel;

/**
 * The elementwise binary operations the kernels know. {@link #apply} is the scalar definition every kernel
 * path must agree with; comparisons yield {@code 1f} for true and {@code 0f} for false.
 */
public enum BinaryOp {
    /** {@code a + b}. */ ADD,
    /** {@code a - b}. */ SUB,
    /** {@code a * b}. */ MUL,
    /** {@code a / b} (IEEE: division by zero gives an infinity or NaN). */ DIV,
    /** {@code max(a, b)}; NaN if either is NaN. */ MAX,
    /** {@code min(a, b)}; NaN if either is NaN. */ MIN,
    /** {@code a} raised to {@code b}, as {@link Math#pow}. */ POW,
    /** {@code a == b}. */ EQ,
    /** {@code a != b}. */ NE,
    /** {@code a < b}. */ LT,
    /** {@code a <= b}. */ LE,
    /** {@code a > b}. */ GT,
    /** {@code a >= b}. */ GE,
    /**
     * {@code b <= 0 ? 0 : a}: the gradient a of a ReLU through its output b, in one pass (a NaN output passes the
     * gradient, as in PyTorch's threshold backward).
     */
    RELU_BACKWARD;

    /**
     * Applies this operation to one pair of values.
     *
     * @param a left operand
     * @param b right operand
     * @return the result, as defined on each constant
     */
    public float apply(float a, float b) {
        // Float operands widened to double, and the double result rounded once to float, give float arithmetic's
        // own bits for +, −, ×, ÷, max, min and the comparisons (a double has more than the 2·24 + 2 bits that make
        // the second rounding harmless). Only POW keeps Math.pow, as the float kernels always have.
        return this == POW ? (float) Math.pow(a, b) : (float) apply((double) a, (double) b);
    }

    /**
     * Applies this operation to one pair of float64 values: the same definitions, with {@link StrictMath#pow} so
     * that the result is fixed by the Java specification.
     *
     * @param a left operand
     * @param b right operand
     * @return the result; comparisons give 1 or 0
     */
    public double apply(double a, double b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case POW -> StrictMath.pow(a, b);
            case EQ -> a == b ? 1 : 0;
            case NE -> a != b ? 1 : 0;
            case LT -> a < b ? 1 : 0;
            case LE -> a <= b ? 1 : 0;
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
            case RELU_BACKWARD -> b <= 0 ? 0 : a;
        };
    }

    /**
     * Whether this operation is a comparison, whose result is a truth value.
     *
     * @return true for EQ, NE, LT, LE, GT and GE
     */
    public boolean isComparison() {
        return switch (this) {
            case EQ, NE, LT, LE, GT, GE -> true;
            default -> false;
        };
    }
}
