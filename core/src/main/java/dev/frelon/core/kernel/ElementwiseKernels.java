package dev.frelon.core.kernel;

/**
 * Elementwise loops over one strip of values. Operands are addressed as {@code array[offset + i * stride]};
 * the output strip is always dense ({@code out[outOff + i]}). A stride of 0 broadcasts one value; strides of
 * 0 and 1 are the fast cases, any other stride is allowed and correct. The output may alias an input only
 * when both are dense and start at the same offset (in-place updates).
 *
 * <p>Two implementations exist, {@link ScalarElementwise} (plain Java, the test oracle) and a Vector API one;
 * {@link #CHOSEN} is the one chosen at start-up.
 */
public interface ElementwiseKernels {

    /** The implementation this JVM runs: the Vector API one wherever that path is available ({@link Kernels}). */
    ElementwiseKernels CHOSEN = Kernels.choose(ElementwiseKernels.class, "VectorElementwise", ScalarElementwise::new,
            isa -> true);

    /**
     * {@code out[outOff + i] = op(a[aOff + i*aStride], b[bOff + i*bStride])} for {@code 0 <= i < n}.
     *
     * @param op the operation
     * @param a left operand storage
     * @param aOff index of the first left value
     * @param aStride step between left values (0 broadcasts)
     * @param b right operand storage
     * @param bOff index of the first right value
     * @param bStride step between right values (0 broadcasts)
     * @param out output storage, written densely
     * @param outOff index of the first output value
     * @param n number of values
     */
    void binary(BinaryOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                float[] out, int outOff, int n);

    /**
     * {@code out[outOff + i] = op(a[aOff + i*aStride])} for {@code 0 <= i < n}.
     *
     * @param op the operation
     * @param a operand storage
     * @param aOff index of the first value
     * @param aStride step between values (0 broadcasts)
     * @param out output storage, written densely
     * @param outOff index of the first output value
     * @param n number of values
     */
    void unary(UnaryOp op, float[] a, int aOff, int aStride, float[] out, int outOff, int n);

    /**
     * {@code y[yOff + i] += alpha * x[xOff + i]}: the accumulation used by gradients and optimizers.
     *
     * @param alpha scale of x
     * @param x dense input strip
     * @param xOff first index in x
     * @param y dense strip updated in place
     * @param yOff first index in y
     * @param n number of values
     */
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n);

    /**
     * {@code out[outOff + i] = a[aOff + i*aStride] * scale + shift}: scaling with an offset in one pass.
     *
     * @param a operand storage
     * @param aOff first index in a
     * @param aStride step between values of a
     * @param scale multiplier
     * @param shift addend
     * @param out output storage, written densely
     * @param outOff first output index
     * @param n number of values
     */
    void affine(float[] a, int aOff, int aStride, float scale, float shift, float[] out, int outOff, int n);
}
