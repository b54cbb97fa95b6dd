package dev.frelon.core.kernel;

/**
 * Pooling loops with a SIMD implementation. The plain one, {@link ScalarPooling}, is the oracle in tests.
 */
public interface PoolingKernels {

    /**
     * The implementation this JVM runs ({@link Kernels}): the Vector API one except on x86 without AVX, where the
     * JDK does not compile its float compares to vector instructions (0.13× the plain loop under
     * {@code -XX:UseAVX=0}).
     */
    PoolingKernels CHOSEN = Kernels.choose(PoolingKernels.class, "VectorPooling", ScalarPooling::new,
            isa -> !isa.sseOnly());

    /**
     * 2×2 max pooling with stride 2 and no padding over the planes {@code [lo, hi)} of an {@code [planes, h, w]}
     * input at {@code xOff}: {@code out[p][i][j]} is the largest of the window at rows {@code 2i, 2i+1} and columns
     * {@code 2j, 2j+1}, and {@code arg[p][i][j]} its position in the plane ({@code row·w + column}). The first
     * maximum in row-major window order wins (so of -0.0 and 0.0 the first), and the first NaN wins over
     * everything, as in PyTorch. Outputs are dense {@code [planes, oh, ow]} from index 0, with {@code 2·oh <= h}
     * and {@code 2·ow <= w}.
     *
     * @param x input storage
     * @param xOff offset of plane 0
     * @param h input rows
     * @param w input columns
     * @param oh output rows
     * @param ow output columns
     * @param out pooled values (written)
     * @param arg positions of the pooled values in their plane (written)
     * @param lo first plane
     * @param hi last plane, exclusive
     */
    void maxPool2x2(float[] x, int xOff, int h, int w, int oh, int ow, float[] out, int[] arg, int lo, int hi);
}
