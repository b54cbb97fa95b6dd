package dev.frelon.core.kernel;

/**
 * The float64 kernels: elementwise operations, row reductions and the matrix product over {@code double[]}.
 *
 * <p>Float64 is the precision of gradient checks and ill-conditioned fits rather than of training, so this family
 * is one interface where float32 has several. Every method reads and writes plain arrays at an offset and stride
 * and knows nothing of tensors. {@link #CHOSEN} is the Vector API implementation when the module is enabled and
 * the plain-Java twin otherwise.
 *
 * <p><b>Same bits on every run.</b> Each implementation adds in one fixed order for a given length and vector
 * width, and its transcendental functions ({@code EXP}, {@code LOG}, {@code TANH}, {@code SIGMOID}, {@code POW})
 * use {@link StrictMath}, whose results the Java specification fixes, so the interpreter, C1 and C2 agree.
 */
public interface Float64Kernels {

    /** The implementation chosen for this JVM. */
    Float64Kernels CHOSEN = Kernels.choose(Float64Kernels.class, "VectorFloat64", ScalarFloat64::new, isa -> true);

    /**
     * {@code out[outOff + i] = op(a[aOff + i·aStride], b[bOff + i·bStride])} for {@code i < n}; comparisons give 1
     * for true and 0 for false. A stride of 0 repeats one value.
     *
     * @param op the operation, as {@link BinaryOp#apply(double, double)} defines it
     * @param a left operand
     * @param aOff offset of the first left value
     * @param aStride step between left values (0 for a scalar)
     * @param b right operand
     * @param bOff offset of the first right value
     * @param bStride step between right values (0 for a scalar)
     * @param out written, {@code n} dense values from {@code outOff}
     * @param outOff offset of the first result
     * @param n number of results
     */
    void binary(BinaryOp op, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
                double[] out, int outOff, int n);

    /**
     * {@code out[outOff + i] = op(a[aOff + i·aStride])} for {@code i < n}.
     *
     * @param op the operation, as {@link UnaryOp#apply(double)} defines it
     * @param a operand
     * @param aOff offset of the first value
     * @param aStride step between values
     * @param out written, {@code n} dense values from {@code outOff}
     * @param outOff offset of the first result
     * @param n number of results
     */
    void unary(UnaryOp op, double[] a, int aOff, int aStride, double[] out, int outOff, int n);

    /**
     * The sum of {@code n} dense values, added in an order fixed by {@code n} and the vector width.
     *
     * @param a values
     * @param off offset of the first value
     * @param n number of values (0 gives 0)
     * @return their sum
     */
    double sum(double[] a, int off, int n);

    /**
     * The dot product of two dense runs of {@code n} values.
     *
     * @param a left run
     * @param aOff offset of its first value
     * @param b right run
     * @param bOff offset of its first value
     * @param n length (0 gives 0)
     * @return {@code Σ a[aOff + i]·b[bOff + i]}
     */
    double dot(double[] a, int aOff, double[] b, int bOff, int n);

    /**
     * {@code C = A·B} or, with {@code accumulate}, {@code C += A·B}, for {@code A [m, k]}, {@code B [k, n]} and
     * {@code C [m, n]} given by offsets and row and column strides ({@code C}'s columns are dense). Each element of
     * {@code C} adds its {@code k} products in increasing {@code p}, so the bits do not depend on how the work is
     * split.
     *
     * @param m rows of A and C
     * @param n columns of B and C
     * @param k columns of A, rows of B
     * @param a A's values
     * @param aOff offset of A[0, 0]
     * @param aRs step between A's rows
     * @param aCs step between A's columns
     * @param b B's values
     * @param bOff offset of B[0, 0]
     * @param bRs step between B's rows
     * @param bCs step between B's columns
     * @param c C's values, written
     * @param cOff offset of C[0, 0]
     * @param cRs step between C's rows
     * @param accumulate add to C instead of overwriting it
     */
    void gemm(int m, int n, int k, double[] a, int aOff, int aRs, int aCs, double[] b, int bOff, int bRs, int bCs,
              double[] c, int cOff, int cRs, boolean accumulate);
}
