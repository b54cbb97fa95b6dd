package dev.frelon.core.kernel;

/**
 * Plain-Java float64 kernels: the twin of {@code VectorFloat64} when the Vector API is not enabled. Sums keep
 * four partial sums so that the adds are independent; the matrix product adds each element's products in
 * increasing {@code p} with {@link Math#fma}.
 */
public final class ScalarFloat64 implements Float64Kernels {

    /** Creates the plain-Java implementation (stateless). */
    public ScalarFloat64() {
    }

    @Override
    public void binary(BinaryOp op, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
                       double[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = op.apply(a[aOff + i * aStride], b[bOff + i * bStride]);
        }
    }

    @Override
    public void unary(UnaryOp op, double[] a, int aOff, int aStride, double[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = op.apply(a[aOff + i * aStride]);
        }
    }

    @Override
    public double sum(double[] a, int off, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
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
    public double dot(double[] a, int aOff, double[] b, int bOff, int n) {
        double s0 = 0, s1 = 0;
        int i = 0;
        for (; i + 1 < n; i += 2) {
            s0 = Math.fma(a[aOff + i], b[bOff + i], s0);
            s1 = Math.fma(a[aOff + i + 1], b[bOff + i + 1], s1);
        }
        if (i < n) {
            s0 = Math.fma(a[aOff + i], b[bOff + i], s0);
        }
        return s0 + s1;
    }

    @Override
    public void gemm(int m, int n, int k, double[] a, int aOff, int aRs, int aCs, double[] b, int bOff, int bRs,
                     int bCs, double[] c, int cOff, int cRs, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * cRs;
            if (!accumulate) {
                java.util.Arrays.fill(c, ci, ci + n, 0.0);
            }
            // Row i of C gathers A[i, p]·B[p, :] over p in increasing order: one fixed order per element.
            for (int p = 0; p < k; p++) {
                double aip = a[aOff + i * aRs + p * aCs];
                int bp = bOff + p * bRs;
                for (int j = 0; j < n; j++) {
                    c[ci + j] = Math.fma(aip, b[bp + j * bCs], c[ci + j]);
                }
            }
        }
    }
}
