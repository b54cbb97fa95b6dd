package dev.frelon.core.kernel;

/** Plain-Java elementwise loops: the portable path and the oracle the SIMD path is tested against. */
public final class ScalarElementwise implements ElementwiseKernels {

    /** Creates the plain-Java implementation (stateless). */
    public ScalarElementwise() {
    }

    @Override
    public void binary(BinaryOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                       float[] out, int outOff, int n) {
        // One loop per operation keeps the switch out of the inner loop.
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) out[outOff + i] = a[aOff + i * aStride] + b[bOff + i * bStride]; }
            case SUB -> { for (int i = 0; i < n; i++) out[outOff + i] = a[aOff + i * aStride] - b[bOff + i * bStride]; }
            case MUL -> { for (int i = 0; i < n; i++) out[outOff + i] = a[aOff + i * aStride] * b[bOff + i * bStride]; }
            case DIV -> { for (int i = 0; i < n; i++) out[outOff + i] = a[aOff + i * aStride] / b[bOff + i * bStride]; }
            default -> { for (int i = 0; i < n; i++) out[outOff + i] = op.apply(a[aOff + i * aStride], b[bOff + i * bStride]); }
        }
    }

    @Override
    public void unary(UnaryOp op, float[] a, int aOff, int aStride, float[] out, int outOff, int n) {
        switch (op) {
            case NEG -> { for (int i = 0; i < n; i++) out[outOff + i] = -a[aOff + i * aStride]; }
            case RELU -> { for (int i = 0; i < n; i++) out[outOff + i] = Math.max(a[aOff + i * aStride], 0f); }
            default -> { for (int i = 0; i < n; i++) out[outOff + i] = op.apply(a[aOff + i * aStride]); }
        }
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void affine(float[] a, int aOff, int aStride, float scale, float shift, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = a[aOff + i * aStride] * scale + shift;
        }
    }
}
