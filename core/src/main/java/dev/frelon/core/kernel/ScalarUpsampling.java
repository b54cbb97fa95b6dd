package dev.frelon.core.kernel;

/**
 * Plain-Java resizing loops: the oracle in tests, and the loops over planes and rows that {@link VectorUpsampling}
 * shares. Both implementations walk planes, rows and buffers here and differ only in the row steps (the
 * package-private methods the vector class overrides), so a row step is the one thing whose bits the tests compare.
 *
 * <p>Work the outputs repeat is done once: an output row that reads the same input row as the one before it is a
 * copy of that row (nearest), an input row blended along its columns serves every output row that reads it
 * (bilinear), and a gradient is gathered per input row before it is spread over the columns (bilinear backward).
 * Multiply-adds are fused where the hardware has an FMA, as in the Vector API kernels; without one
 * {@link Math#fma} would run through {@code BigDecimal}.
 */
public sealed class ScalarUpsampling implements UpsamplingKernels permits VectorUpsampling {

    private static final boolean FMA = Isa.current().fma();

    /** Creates the plain kernels (stateless). */
    public ScalarUpsampling() {
    }

    /**
     * What the bilinear row steps need to know about the columns, made once per call by {@link #columns}: the taps,
     * and the length of the row buffers (the vector twin pads them to whole vectors and adds its permutes).
     */
    static class Columns {
        final int[] c0, c1;
        final float[] t, u;
        final int w, ow, padded;

        Columns(Taps cols, int w, int padded) {
            this.c0 = cols.lo();
            this.c1 = cols.hi();
            this.t = cols.t();
            this.u = cols.u();
            this.w = w;
            this.ow = cols.size();
            this.padded = padded;
        }
    }

    @Override
    public void nearest(float[] x, int xOff, int h, int w, int[] rows, int[] cols, float[] out, int lo, int hi) {
        int oh = rows.length, ow = cols.length, s = repeatFactor(w, cols);
        for (int p = lo; p < hi; p++) {
            int src = xOff + p * h * w, dst = p * oh * ow;
            for (int i = 0; i < oh; i++) {
                int o = dst + i * ow;
                if (i > 0 && rows[i] == rows[i - 1]) {
                    System.arraycopy(out, o - ow, out, o, ow);
                } else if (s > 0) {
                    repeat(x, src + rows[i] * w, w, s, out, o);
                } else {
                    int r = src + rows[i] * w;
                    for (int j = 0; j < ow; j++) {
                        out[o + j] = x[r + cols[j]];
                    }
                }
            }
        }
    }

    /** {@code s} when {@code cols[j] = j / s} for every output column (an integer scale factor), else 0. */
    static int repeatFactor(int w, int[] cols) {
        if (cols.length % w != 0) {
            return 0;
        }
        int s = cols.length / w;
        for (int j = 0; j < cols.length; j++) {
            if (cols[j] != j / s) {
                return 0;
            }
        }
        return s;
    }

    /** One output row at an integer scale factor: each of the {@code w} inputs from {@code x[r]} written {@code s} times. */
    void repeat(float[] x, int r, int w, int s, float[] out, int o) {
        if (s == 1) {
            System.arraycopy(x, r, out, o, w);
            return;
        }
        for (int k = 0; k < w; k++) {
            float v = x[r + k];
            for (int m = 0; m < s; m++) {
                out[o + k * s + m] = v;
            }
        }
    }

    @Override
    public void nearestBackward(float[] g, int gOff, int h, int w, int[] rows, int[] cols, float[] dx, int lo, int hi) {
        int oh = rows.length, ow = cols.length;
        for (int p = lo; p < hi; p++) {
            int src = gOff + p * oh * ow, dst = p * h * w;
            for (int i = 0; i < oh; i++) {
                int r = dst + rows[i] * w, gr = src + i * ow;
                // The sum of a run of outputs that read one input is carried in a register, in the same order:
                // adding to memory would chain each addition through a store and a load of the same element.
                int k = cols[0];
                float sum = dx[r + k];
                for (int j = 0; j < ow; j++) {
                    if (cols[j] != k) {
                        dx[r + k] = sum;
                        k = cols[j];
                        sum = dx[r + k];
                    }
                    sum += g[gr + j];
                }
                dx[r + k] = sum;
            }
        }
    }

    @Override
    public void bilinear(float[] x, int xOff, int h, int w, Taps rows, Taps cols, float[] out, int lo, int hi) {
        int oh = rows.size(), ow = cols.size();
        Columns c = columns(cols, w);
        // a holds the blended input row ra, b the row rb; rows only move down, so each is blended once per plane.
        float[] a = new float[c.padded], b = new float[c.padded];
        for (int p = lo; p < hi; p++) {
            int src = xOff + p * h * w, dst = p * oh * ow, ra = -1, rb = -1;
            for (int i = 0; i < oh; i++) {
                int r0 = rows.lo()[i], r1 = rows.hi()[i];
                if (ra != r0) {
                    if (rb == r0) {
                        float[] swap = a;
                        a = b;
                        b = swap;
                        ra = rb;
                        rb = -1;
                    } else {
                        blendColumns(x, src + r0 * w, c, a);
                        ra = r0;
                    }
                }
                if (rb != r1) {
                    if (r1 == ra) {
                        System.arraycopy(a, 0, b, 0, ow);
                    } else {
                        blendColumns(x, src + r1 * w, c, b);
                    }
                    rb = r1;
                }
                blendRows(a, b, rows.u()[i], rows.t()[i], out, dst + i * ow, ow);
            }
        }
    }

    /** The per-call column tables of the row steps; the vector twin adds its permutes. */
    Columns columns(Taps cols, int w) {
        return new Columns(cols, w, cols.size());
    }

    /** One input row at {@code x[r]} blended along its columns into {@code dst[0, ow)}. */
    void blendColumns(float[] x, int r, Columns c, float[] dst) {
        blendColumns(x, r, c, dst, 0, c.ow);
    }

    /** Outputs {@code [from, to)} of {@link #blendColumns(float[], int, Columns, float[])}. */
    static void blendColumns(float[] x, int r, Columns c, float[] dst, int from, int to) {
        for (int j = from; j < to; j++) {
            float a = x[r + c.c0[j]], b = x[r + c.c1[j]];
            dst[j] = FMA ? Math.fma(b, c.t[j], a * c.u[j]) : a * c.u[j] + b * c.t[j];
        }
    }

    /** An output row: {@code out[o + j] = ua·a[j] + tb·b[j]} for {@code j < ow}. */
    void blendRows(float[] a, float[] b, float ua, float tb, float[] out, int o, int ow) {
        blendRows(a, b, ua, tb, out, o, 0, ow);
    }

    /** Outputs {@code [from, to)} of {@link #blendRows(float[], float[], float, float, float[], int, int)}. */
    static void blendRows(float[] a, float[] b, float ua, float tb, float[] out, int o, int from, int to) {
        for (int j = from; j < to; j++) {
            out[o + j] = FMA ? Math.fma(b[j], tb, a[j] * ua) : a[j] * ua + b[j] * tb;
        }
    }

    @Override
    public void bilinearBackward(float[] g, int gOff, int h, int w, Taps rows, Taps cols, float[] dx, int lo, int hi) {
        int oh = rows.size(), ow = cols.size();
        Columns c = columns(cols, w);
        // Input row r gathers in acc[r & 1]: an output row reads rows lo and lo + 1 (or lo twice), and rows below lo
        // are complete, spread over their columns and their accumulator cleared before it is reused.
        float[][] acc = {new float[c.padded], new float[c.padded]};
        int[] held = new int[2];
        for (int p = lo; p < hi; p++) {
            int src = gOff + p * oh * ow, dst = p * h * w, next = 0;
            held[0] = held[1] = -1;
            for (int i = 0; i < oh; i++) {
                int r0 = rows.lo()[i], r1 = rows.hi()[i];
                for (; next < r0; next++) {
                    flush(acc, held, next, c, dx, dst);
                }
                spreadRow(g, src + i * ow, ow, rows.u()[i], acc[r0 & 1], rows.t()[i], acc[r1 & 1]);
                held[r0 & 1] = r0;
                held[r1 & 1] = r1;
            }
            for (; next < h; next++) {
                flush(acc, held, next, c, dx, dst);
            }
        }
    }

    /** Input row {@code r}, if it gathered gradients: spread over its columns into dx, then its accumulator cleared. */
    private static void flush(float[][] acc, int[] held, int r, Columns c, float[] dx, int dst) {
        int slot = r & 1;
        if (held[slot] != r) {
            return;
        }
        float[] a = acc[slot];
        int d = dst + r * c.w;
        // Output j adds to columns c0[j] and c1[j] (c0[j] + 1, or c0[j] at the last column), in order of j. The
        // sums of columns k and k + 1 are carried in registers, in that same order; adding to memory would chain
        // each multiply-add through a store and a load of the same element.
        int k = c.c0[0];
        float lower = dx[d + k], upper = k + 1 < c.w ? dx[d + k + 1] : 0f;
        for (int j = 0; j < c.ow; j++) {
            if (c.c0[j] == k + 1) { // the usual step when enlarging: column k + 1's sum stays in a register
                dx[d + k] = lower;
                lower = upper;
                k++;
                upper = k + 1 < c.w ? dx[d + k + 1] : 0f;
            } else if (c.c0[j] != k) {
                dx[d + k] = lower;
                if (k + 1 < c.w) {
                    dx[d + k + 1] = upper;
                }
                k = c.c0[j];
                lower = dx[d + k];
                upper = k + 1 < c.w ? dx[d + k + 1] : 0f;
            }
            float v = a[j];
            lower = FMA ? Math.fma(v, c.u[j], lower) : v * c.u[j] + lower;
            if (c.c1[j] == k) {
                lower = FMA ? Math.fma(v, c.t[j], lower) : v * c.t[j] + lower;
            } else {
                upper = FMA ? Math.fma(v, c.t[j], upper) : v * c.t[j] + upper;
            }
        }
        dx[d + k] = lower;
        if (k + 1 < c.w) {
            dx[d + k + 1] = upper;
        }
        java.util.Arrays.fill(a, 0, c.ow, 0f);
        held[slot] = -1;
    }

    /**
     * One output gradient row at {@code g[gr]} spread over two input rows' accumulators: {@code accU += u·g}, then
     * {@code accT += t·g}, element by element (they are one array when the output row reads one input row).
     */
    void spreadRow(float[] g, int gr, int ow, float u, float[] accU, float t, float[] accT) {
        spreadRow(g, gr, u, accU, t, accT, 0, ow);
    }

    /** Columns {@code [from, to)} of {@link #spreadRow(float[], int, int, float, float[], float, float[])}. */
    static void spreadRow(float[] g, int gr, float u, float[] accU, float t, float[] accT, int from, int to) {
        for (int j = from; j < to; j++) {
            float v = g[gr + j];
            accU[j] = FMA ? Math.fma(v, u, accU[j]) : v * u + accU[j];
            accT[j] = FMA ? Math.fma(v, t, accT[j]) : v * t + accT[j];
        }
    }
}
