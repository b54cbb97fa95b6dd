package dev.frelon.core.kernel;

/** Plain-Java reductions; four partial sums keep the adds independent and the rounding close to SIMD's. */
public final class ScalarReduction implements ReductionKernels {

    /** Creates the plain-Java implementation (stateless). */
    public ScalarReduction() {
    }

    @Override
    public float sum(float[] a, int off, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[off + i];
            s1 += a[off + i + 1];
            s2 += a[off + i + 2];
            s3 += a[off + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[off + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public float max(float[] a, int off, int n) {
        float m = a[off];
        for (int i = 1; i < n; i++) {
            m = Math.max(m, a[off + i]);
        }
        return m;
    }

    @Override
    public float min(float[] a, int off, int n) {
        float m = a[off];
        for (int i = 1; i < n; i++) {
            m = Math.min(m, a[off + i]);
        }
        return m;
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float s0 = 0, s1 = 0;
        int i = 0;
        for (; i + 1 < n; i += 2) {
            s0 += a[aOff + i] * b[bOff + i];
            s1 += a[aOff + i + 1] * b[bOff + i + 1];
        }
        if (i < n) {
            s0 += a[aOff + i] * b[bOff + i];
        }
        return s0 + s1;
    }

    @Override
    public float sumSquaredDeviation(float[] a, int off, int n, float shift) {
        float s = 0;
        for (int i = 0; i < n; i++) {
            float d = a[off + i] - shift;
            s += d * d;
        }
        return s;
    }
}
