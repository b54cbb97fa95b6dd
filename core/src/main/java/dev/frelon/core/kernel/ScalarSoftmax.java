package dev.frelon.core.kernel;

/** Plain-Java softmax steps: {@link Math#exp} rounded to float, the oracle of the Vector API twin. */
public final class ScalarSoftmax implements SoftmaxKernels {

    /** Creates the plain-Java implementation (stateless). */
    public ScalarSoftmax() {
    }

    @Override
    public float max(float[] a, int off, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float v = a[off + i];
            m = v > m ? v : m; // false for NaN: skipped
        }
        return m;
    }

    @Override
    public void exp(float[] a, int off, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = (float) Math.exp(a[off + i]);
        }
    }

    @Override
    public float expShiftSum(float[] a, int off, int n, float shift, float[] out, int outOff) {
        float s = 0;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(a[off + i] - shift);
            out[outOff + i] = e;
            s += e;
        }
        return s;
    }
}
