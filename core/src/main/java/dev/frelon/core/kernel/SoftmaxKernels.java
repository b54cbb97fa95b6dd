package dev.frelon.core.kernel;

/**
 * The steps of a numerically stable softmax over one dense strip {@code a[off .. off+n)}: the shift (row
 * maximum) and the shifted exponentials with their sum. The Vector API implementation computes
 * {@code exp} with its own polynomial (within about one ulp of the correctly rounded float, subnormal results
 * included); the plain one, {@link ScalarSoftmax}, rounds {@link Math#exp} and is the oracle in tests.
 */
public interface SoftmaxKernels {

    /**
     * The implementation this JVM runs ({@link Kernels}): the Vector API one where the hardware has a fused
     * multiply-add, which its {@code exp} needs for its accuracy (without one the JDK computes each FMA through
     * {@code BigDecimal}).
     */
    SoftmaxKernels CHOSEN = Kernels.choose(SoftmaxKernels.class, "VectorSoftmax", ScalarSoftmax::new, Isa::fma);

    /**
     * The largest value, skipping NaNs: the shift of a softmax, where a NaN makes its own exponential, and so
     * the whole row, NaN anyway.
     *
     * @param a storage
     * @param off first index
     * @param n number of values
     * @return the largest value that is not NaN, or negative infinity when there is none
     */
    float max(float[] a, int off, int n);

    /**
     * {@code out[outOff + i] = exp(a[off + i])} for {@code 0 <= i < n}, with IEEE limits: 0 far below (via
     * subnormals), infinity above {@code ln(Float.MAX_VALUE)}, NaN for NaN.
     *
     * @param a storage
     * @param off first index
     * @param out output storage (may be a itself at the same offset)
     * @param outOff first output index
     * @param n number of values
     */
    void exp(float[] a, int off, float[] out, int outOff, int n);

    /**
     * Writes {@code out[outOff + i] = exp(a[off + i] - shift)} and returns the sum of what it wrote.
     *
     * @param a storage
     * @param off first index
     * @param n number of values
     * @param shift value subtracted before exponentiation (the row maximum)
     * @param out output storage (may be a itself at the same offset)
     * @param outOff first output index
     * @return the sum of the written values
     */
    float expShiftSum(float[] a, int off, int n, float shift, float[] out, int outOff);
}
