package dev.frelon.core.kernel;

/**
 * Resizing loops of {@code [planes, h, w]} float images, with a SIMD implementation. The plain one,
 * {@link ScalarUpsampling}, holds the loops over planes and rows and is the oracle in tests; {@link VectorUpsampling}
 * replaces the row steps that pay: nearest rows at an integer scale factor, and both bilinear passes along a row.
 *
 * <p>Which input pixels an output reads comes in tables ({@link #nearestIndex}, {@link Taps#of}, PyTorch's
 * {@code F.interpolate} rules), made once per call by the caller and read by both implementations alike. Inputs
 * start at an offset; outputs are dense from index 0; every method handles the planes {@code [lo, hi)}, so
 * that callers split planes over the pool: planes are independent, and any split gives the same bits.
 */
public interface UpsamplingKernels {

    /**
     * The implementation this JVM runs ({@link Kernels}): the Vector API one wherever that path is available. It
     * uses no float compares, run-time masks or two-vector permutes, only one-vector permutes and blends with masks
     * fixed in advance (single instructions on AVX-512, AVX2 and NEON); measured faster than the plain loops at
     * 512 bits, under {@code -XX:UseAVX=2}, under {@code -XX:MaxVectorSize=16} and, by the CI smoke pass, at the SSE
     * level ({@code -XX:UseAVX=0}).
     */
    UpsamplingKernels CHOSEN = Kernels.choose(UpsamplingKernels.class, "VectorUpsampling", ScalarUpsampling::new,
            isa -> true);

    /**
     * Where the outputs along one axis read the input for bilinear resizing: output {@code i} is
     * {@code u[i]·in[lo[i]] + t[i]·in[hi[i]]}, with {@code lo} and {@code hi} non-decreasing and
     * {@code hi[i]} either {@code lo[i]} or {@code lo[i] + 1}.
     *
     * @param lo the lower input index of each output
     * @param hi the upper input index of each output
     * @param t the weight of the upper input
     * @param u the weight of the lower input, {@code 1 - t} rounded to float
     */
    record Taps(int[] lo, int[] hi, float[] t, float[] u) {
        /**
         * Checks that the four tables have one entry per output.
         *
         * @param lo the lower input index of each output
         * @param hi the upper input index of each output
         * @param t the weight of the upper input
         * @param u the weight of the lower input
         */
        public Taps {
            if (hi.length != lo.length || t.length != lo.length || u.length != lo.length) {
                throw new IllegalArgumentException("Taps: tables of different lengths " + lo.length + ", "
                        + hi.length + ", " + t.length + ", " + u.length);
            }
        }

        /**
         * PyTorch's bilinear taps along an axis of {@code in} inputs resized to {@code out}: output i reads the input
         * at {@code s = i·(in − 1)/(out − 1)} with {@code alignCorners} (0 when {@code out = 1}), else at
         * {@code s = (i + ½)·in/out − ½} clamped at 0, between inputs {@code floor(s)} and the next (clamped to the
         * last), with weight {@code s − floor(s)} on the latter.
         *
         * @param in input length, at least 1
         * @param out output length, at least 1
         * @param alignCorners PyTorch's {@code align_corners}
         * @return the taps of the {@code out} outputs
         */
        public static Taps of(int in, int out, boolean alignCorners) {
            int[] lo = new int[out], hi = new int[out];
            float[] t = new float[out], u = new float[out];
            for (int i = 0; i < out; i++) {
                double s = alignCorners ? (out == 1 ? 0 : i * (double) (in - 1) / (out - 1))
                        : Math.max(0, (i + 0.5) * in / out - 0.5);
                int l = Math.min((int) Math.floor(s), in - 1);
                lo[i] = l;
                hi[i] = Math.min(l + 1, in - 1);
                t[i] = (float) (s - l);
                u[i] = 1 - t[i];
            }
            return new Taps(lo, hi, t, u);
        }

        /**
         * The number of outputs along the axis.
         *
         * @return the length of the tables
         */
        public int size() {
            return lo.length;
        }
    }

    /**
     * The input index each output reads for nearest resizing along an axis, as PyTorch's {@code 'nearest'}:
     * {@code floor(i·in/out)}, at most {@code in − 1}.
     *
     * @param in input length, at least 1
     * @param out output length, at least 1
     * @return the input index of each of the {@code out} outputs
     */
    static int[] nearestIndex(int in, int out) {
        int[] idx = new int[out];
        double scale = (double) in / out;
        for (int i = 0; i < out; i++) {
            idx[i] = Math.min((int) Math.floor(i * scale), in - 1);
        }
        return idx;
    }

    /**
     * Nearest-neighbour resizing: {@code out[p][i][j] = x[p][rows[i]][cols[j]]} for the planes {@code [lo, hi)} of an
     * {@code [planes, h, w]} input at {@code xOff}, into a dense {@code [planes, rows.length, cols.length]} output.
     *
     * @param x input storage
     * @param xOff offset of plane 0
     * @param h input rows
     * @param w input columns
     * @param rows the input row of each output row, non-decreasing
     * @param cols the input column of each output column, non-decreasing
     * @param out output storage (written)
     * @param lo first plane
     * @param hi last plane, exclusive
     */
    void nearest(float[] x, int xOff, int h, int w, int[] rows, int[] cols, float[] out, int lo, int hi);

    /**
     * The gradient of {@link #nearest}: adds every {@code g[p][i][j]} to {@code dx[p][rows[i]][cols[j]]}, output rows
     * in order and each row left to right, for the planes {@code [lo, hi)}.
     *
     * @param g output gradient storage, {@code [planes, rows.length, cols.length]}
     * @param gOff offset of plane 0
     * @param h input rows
     * @param w input columns
     * @param rows as in the forward
     * @param cols as in the forward
     * @param dx input gradient, dense {@code [planes, h, w]} (added to; the caller zeroes it)
     * @param lo first plane
     * @param hi last plane, exclusive
     */
    void nearestBackward(float[] g, int gOff, int h, int w, int[] rows, int[] cols, float[] dx, int lo, int hi);

    /**
     * Bilinear resizing, separable: each input row is first blended along its columns ({@code cols}), once however
     * many output rows read it, and each output row is then the blend of two such rows ({@code rows}). A blend
     * {@code u·a + t·b} is computed as {@code fma(b, t, a·u)} where the hardware has an FMA ({@link Isa#fma()}), else
     * as {@code a·u + b·t}, in both implementations.
     *
     * @param x input storage
     * @param xOff offset of plane 0
     * @param h input rows
     * @param w input columns
     * @param rows taps along the height
     * @param cols taps along the width
     * @param out output storage, dense {@code [planes, rows.size(), cols.size()]} (written)
     * @param lo first plane
     * @param hi last plane, exclusive
     */
    void bilinear(float[] x, int xOff, int h, int w, Taps rows, Taps cols, float[] out, int lo, int hi);

    /**
     * The gradient of {@link #bilinear}, in the reverse order of its passes: each output gradient row is spread over
     * its two input rows' accumulators ({@code acc = fma(g, weight, acc)}, output rows in order), and each
     * accumulator row, once no later output row reads it, is spread over its input columns left to right
     * ({@code dx = fma(acc, weight, dx)}). Without a hardware FMA each multiply-add is rounded twice.
     *
     * @param g output gradient storage, {@code [planes, rows.size(), cols.size()]}
     * @param gOff offset of plane 0
     * @param h input rows
     * @param w input columns
     * @param rows taps along the height, as in the forward
     * @param cols taps along the width, as in the forward
     * @param dx input gradient, dense {@code [planes, h, w]} (added to; the caller zeroes it)
     * @param lo first plane
     * @param hi last plane, exclusive
     */
    void bilinearBackward(float[] g, int gOff, int h, int w, Taps rows, Taps cols, float[] dx, int lo, int hi);
}
