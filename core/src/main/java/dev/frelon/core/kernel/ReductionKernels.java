package dev.frelon.core.kernel;

/**
 * Reductions over one dense strip {@code a[off .. off+n)}. Sums accumulate in several independent partial
 * sums (SIMD lanes on the vector path), so results may differ from a sequential sum by rounding only.
 */
public interface ReductionKernels {

    /** The implementation this JVM runs: the Vector API one wherever that path is available ({@link Kernels}). */
    ReductionKernels CHOSEN = Kernels.choose(ReductionKernels.class, "VectorReduction", ScalarReduction::new,
            isa -> true);

    /**
     * Sums {@code a[off .. off+n)}, in partial sums whose order differs from a sequential loop.
     *
     * @param a storage
     * @param off first index
     * @param n number of values
     * @return the sum of the strip (0 when empty)
     */
    float sum(float[] a, int off, int n);

    /**
     * The maximum of {@code a[off .. off+n)}, NaN-propagating.
     *
     * @param a storage
     * @param off first index
     * @param n number of values, at least 1
     * @return the largest value (NaN if any value is NaN)
     */
    float max(float[] a, int off, int n);

    /**
     * The minimum of {@code a[off .. off+n)}, NaN-propagating.
     *
     * @param a storage
     * @param off first index
     * @param n number of values, at least 1
     * @return the smallest value (NaN if any value is NaN)
     */
    float min(float[] a, int off, int n);

    /**
     * The dot product of the strips {@code a[aOff .. aOff+n)} and {@code b[bOff .. bOff+n)}.
     *
     * @param a first storage
     * @param aOff first index in a
     * @param b second storage
     * @param bOff first index in b
     * @param n number of values
     * @return {@code sum a[aOff+i] * b[bOff+i]}
     */
    float dot(float[] a, int aOff, float[] b, int bOff, int n);

    /**
     * The sum of squared deviations from {@code shift} over {@code a[off .. off+n)}: divided by {@code n} (or
     * {@code n - 1}) with the mean as shift, it is the variance.
     *
     * @param a storage
     * @param off first index
     * @param n number of values
     * @param shift value subtracted before squaring (the mean, for a variance)
     * @return {@code sum (a[off+i] - shift)^2}
     */
    float sumSquaredDeviation(float[] a, int off, int n, float shift);
}
