package dev.frelon.core.kernel;

/** Plain-Java pooling loops, one output at a time without branches on the data: the oracle in tests. */
public final class ScalarPooling implements PoolingKernels {

    /** Creates the plain kernels (stateless). */
    public ScalarPooling() {
    }

    @Override
    public void maxPool2x2(float[] x, int xOff, int h, int w, int oh, int ow, float[] out, int[] arg, int lo, int hi) {
        for (int p = lo; p < hi; p++) {
            int in = xOff + p * h * w, ob = p * oh * ow;
            for (int i = 0; i < oh; i++) {
                int r0 = in + 2 * i * w, r1 = r0 + w, o = ob + i * ow;
                for (int j = 0; j < ow; j++) {
                    int q = 2 * j;
                    float a = x[r0 + q], b = x[r0 + q + 1], c = x[r1 + q], d = x[r1 + q + 1];
                    float best = Math.max(Math.max(a, b), Math.max(c, d)); // NaN if any is NaN
                    // Window position k of the first value equal to the maximum (or the first NaN), computed
                    // without branches: random data makes every comparison a coin flip for a branch predictor.
                    int ea = (a == best) | (a != a) ? 1 : 0;
                    int eb = (b == best) | (b != b) ? 1 : 0;
                    int ec = (c == best) | (c != c) ? 1 : 0;
                    int na = 1 - ea, nb = na & (1 - eb), nc = nb & (1 - ec);
                    int k = na + nb + nc;
                    int bi = (2 * i + (k >> 1)) * w + q + (k & 1);
                    out[o + j] = x[in + bi]; // the value at that position (-0.0 and 0.0 compare equal)
                    arg[o + j] = bi;
                }
            }
        }
    }
}
