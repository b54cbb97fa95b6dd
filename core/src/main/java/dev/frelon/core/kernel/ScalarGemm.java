package dev.frelon.core.kernel;

/** Plain-Java GEMM in i-p-j order: the portable path and the oracle for the SIMD kernel. */
public final class ScalarGemm implements GemmKernel {

    /** Creates the plain-Java implementation (stateless). */
    public ScalarGemm() {
    }

    @Override
    public void gemm(int m, int n, int k, float[] a, int aOff, int aRs, int aCs, float[] b, int bOff, int bRs, int bCs,
                     float[] c, int cOff, int cRs, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * cRs;
            if (!accumulate) {
                java.util.Arrays.fill(c, ci, ci + n, 0f);
            }
            for (int p = 0; p < k; p++) {
                float av = a[aOff + i * aRs + p * aCs];
                if (av == 0f) {
                    continue;
                }
                int bp = bOff + p * bRs;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += av * b[bp + j * bCs];
                }
            }
        }
    }
}
