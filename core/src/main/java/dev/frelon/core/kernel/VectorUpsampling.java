package dev.frelon.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import static dev.frelon.core.kernel.VectorWidth.FMA;

/**
 * Vector API resizing: the row steps of {@link ScalarUpsampling}, V outputs at a time, with the same operations in
 * the same order, so both give the same bits. The loops over planes and rows are the plain class's.
 *
 * <ul>
 *   <li>Nearest at scale factor 2, 3 or 4 along the width: V inputs are loaded once and each of the s output
 *   vectors is a one-vector permute of them with a constant shuffle (lane l of output m takes input
 *   {@code (m·V + l) / s}).</li>
 *   <li>Bilinear along the width: for V outputs that read inputs within one vector's reach (any upscaling by 2 or
 *   more), two one-vector permutes of one load, with shuffles made once per call from the column taps, then
 *   {@code fma(b, t, a·u)} with the weights loaded from padded tables. Columns whose inputs span more than a vector
 *   (downscaling) go through the plain loop.</li>
 *   <li>Nearest backward at scale factor 2, 3 or 4 along the width: the s vectors of outputs that V inputs gather
 *   are loaded, and the m-th output of every input (m = 0..s−1) comes out as one vector: a one-vector permute of
 *   each of the s loads, merged by blends with constant masks, then added to the inputs' sums in the plain order.
 *   </li>
 *   <li>Bilinear between rows, forward and backward: whole rows are contiguous, so each is a multiply and an FMA per
 *   vector.</li>
 * </ul>
 *
 * <p>Every operation is a plain load or store, an add, a multiply, an FMA, a one-vector permute or a blend under a
 * constant mask (one instruction on AVX-512, AVX2 and SSE 4.1): no gathers, compares, computed masks or two-vector
 * permutes, which AVX2 lacks and the JDK would run lane by lane. A row's ragged end is handled by a last
 * vector that overlaps the one before it where the step only writes (it writes the same values twice), and by the
 * plain loop where it accumulates. Rows shorter than a vector take the plain loops.
 */
final class VectorUpsampling extends ScalarUpsampling {

    private static final VectorSpecies<Float> S = VectorWidth.SPECIES;
    private static final int V = S.length();

    private static final VectorShuffle<Float> REPEAT2_0 = repeat(2, 0), REPEAT2_1 = repeat(2, 1);
    private static final VectorShuffle<Float> REPEAT3_0 = repeat(3, 0), REPEAT3_1 = repeat(3, 1),
            REPEAT3_2 = repeat(3, 2);
    private static final VectorShuffle<Float> REPEAT4_0 = repeat(4, 0), REPEAT4_1 = repeat(4, 1),
            REPEAT4_2 = repeat(4, 2), REPEAT4_3 = repeat(4, 3);

    /** Lane l of output vector m of an s-fold repeat reads input lane {@code (m·V + l) / s}. */
    private static VectorShuffle<Float> repeat(int s, int m) {
        return VectorShuffle.fromOp(S, l -> (m * V + l) / s);
    }

    /*
     * Nearest backward at scale factor s: input column k + l of a block sums outputs s·(k + l) + m, m = 0..s−1, from
     * the s vectors that follow output s·k. "Phase" m of the block, the V outputs s·(k + l) + m, is gathered from
     * those s vectors by one one-vector permute each (lane l reads lane (s·l + m) mod V of every vector), merged by
     * blends with constant masks: lanes whose output lies in vector q or later take vector q's permute.
     */
    private static final VectorShuffle<Float> PHASE2_0 = phase(2, 0), PHASE2_1 = phase(2, 1);
    private static final VectorShuffle<Float> PHASE3_0 = phase(3, 0), PHASE3_1 = phase(3, 1), PHASE3_2 = phase(3, 2);
    private static final VectorShuffle<Float> PHASE4_0 = phase(4, 0), PHASE4_1 = phase(4, 1), PHASE4_2 = phase(4, 2),
            PHASE4_3 = phase(4, 3);
    /** At s = 2 and 4 the vector a lane's output lies in does not depend on the phase (s divides V). */
    private static final VectorMask<Float> FROM2_1 = from(2, 0, 1);
    private static final VectorMask<Float> FROM4_1 = from(4, 0, 1), FROM4_2 = from(4, 0, 2), FROM4_3 = from(4, 0, 3);
    private static final VectorMask<Float> FROM3_0_1 = from(3, 0, 1), FROM3_0_2 = from(3, 0, 2),
            FROM3_1_1 = from(3, 1, 1), FROM3_1_2 = from(3, 1, 2), FROM3_2_1 = from(3, 2, 1), FROM3_2_2 = from(3, 2, 2);

    /** Lane l of phase m of an s-fold sum reads lane {@code (s·l + m) mod V} of whichever vector holds it. */
    private static VectorShuffle<Float> phase(int s, int m) {
        return VectorShuffle.fromOp(S, l -> (s * l + m) % V);
    }

    /** The lanes of phase m whose output lies in vector q or later of the s vectors. */
    private static VectorMask<Float> from(int s, int m, int q) {
        boolean[] bits = new boolean[V];
        for (int l = 0; l < V; l++) {
            bits[l] = (s * l + m) / V >= q;
        }
        return VectorMask.fromArray(S, bits, 0);
    }

    VectorUpsampling() {
    }

    /**
     * The plain loop's sums, V input columns at a time where the columns are an integer scale factor 2 to 4 of a row
     * at least a vector wide: each input element starts from dx and adds its outputs output row by output row, each
     * row's left to right, as the plain loop does, so both give the same bits. Consecutive output rows that read one
     * input row (all but the first of every s at an integer factor) are summed in a register before the store.
     */
    @Override
    public void nearestBackward(float[] g, int gOff, int h, int w, int[] rows, int[] cols, float[] dx, int lo, int hi) {
        int s = repeatFactor(w, cols);
        if (w < V || s < 2 || s > 4) {
            super.nearestBackward(g, gOff, h, w, rows, cols, dx, lo, hi);
            return;
        }
        int oh = rows.length, ow = cols.length;
        for (int p = lo; p < hi; p++) {
            int src = gOff + p * oh * ow, dst = p * h * w;
            for (int i = 0; i < oh; ) {
                int end = i + 1;
                while (end < oh && rows[end] == rows[i]) {
                    end++;
                }
                int r = dst + rows[i] * w, gr = src + i * ow;
                switch (s) {
                    case 2 -> sum2(g, gr, ow, end - i, dx, r, w);
                    case 3 -> sum3(g, gr, ow, end - i, dx, r, w);
                    default -> sum4(g, gr, ow, end - i, dx, r, w);
                }
                i = end;
            }
        }
    }

    /**
     * Columns past the last whole vector, plain, in the same order: the ragged end accumulates, so it cannot overlap
     * the block before it.
     */
    private static void sumTail(float[] g, int gr, int ow, int n, float[] dx, int r, int s, int from, int w) {
        for (int k = from; k < w; k++) {
            float sum = dx[r + k];
            for (int i = 0; i < n; i++) {
                for (int m = 0; m < s; m++) {
                    sum += g[gr + i * ow + s * k + m];
                }
            }
            dx[r + k] = sum;
        }
    }

    /** Input row {@code dx[r]} gains the {@code n} output rows from {@code g[gr]} (row stride ow), at s = 2. */
    private static void sum2(float[] g, int gr, int ow, int n, float[] dx, int r, int w) {
        int k = 0;
        for (; k <= w - V; k += V) {
            FloatVector sum = FloatVector.fromArray(S, dx, r + k);
            for (int i = 0, o = gr + 2 * k; i < n; i++, o += ow) {
                FloatVector a = FloatVector.fromArray(S, g, o), b = FloatVector.fromArray(S, g, o + V);
                sum = sum.add(a.rearrange(PHASE2_0).blend(b.rearrange(PHASE2_0), FROM2_1));
                sum = sum.add(a.rearrange(PHASE2_1).blend(b.rearrange(PHASE2_1), FROM2_1));
            }
            sum.intoArray(dx, r + k);
        }
        sumTail(g, gr, ow, n, dx, r, 2, k, w);
    }

    /** As {@link #sum2}, at s = 3. */
    private static void sum3(float[] g, int gr, int ow, int n, float[] dx, int r, int w) {
        int k = 0;
        for (; k <= w - V; k += V) {
            FloatVector sum = FloatVector.fromArray(S, dx, r + k);
            for (int i = 0, o = gr + 3 * k; i < n; i++, o += ow) {
                FloatVector a = FloatVector.fromArray(S, g, o), b = FloatVector.fromArray(S, g, o + V),
                        c = FloatVector.fromArray(S, g, o + 2 * V);
                sum = sum.add(a.rearrange(PHASE3_0).blend(b.rearrange(PHASE3_0), FROM3_0_1)
                        .blend(c.rearrange(PHASE3_0), FROM3_0_2));
                sum = sum.add(a.rearrange(PHASE3_1).blend(b.rearrange(PHASE3_1), FROM3_1_1)
                        .blend(c.rearrange(PHASE3_1), FROM3_1_2));
                sum = sum.add(a.rearrange(PHASE3_2).blend(b.rearrange(PHASE3_2), FROM3_2_1)
                        .blend(c.rearrange(PHASE3_2), FROM3_2_2));
            }
            sum.intoArray(dx, r + k);
        }
        sumTail(g, gr, ow, n, dx, r, 3, k, w);
    }

    /** As {@link #sum2}, at s = 4. */
    private static void sum4(float[] g, int gr, int ow, int n, float[] dx, int r, int w) {
        int k = 0;
        for (; k <= w - V; k += V) {
            FloatVector sum = FloatVector.fromArray(S, dx, r + k);
            for (int i = 0, o = gr + 4 * k; i < n; i++, o += ow) {
                FloatVector a = FloatVector.fromArray(S, g, o), b = FloatVector.fromArray(S, g, o + V),
                        c = FloatVector.fromArray(S, g, o + 2 * V), d = FloatVector.fromArray(S, g, o + 3 * V);
                sum = sum.add(a.rearrange(PHASE4_0).blend(b.rearrange(PHASE4_0), FROM4_1)
                        .blend(c.rearrange(PHASE4_0), FROM4_2).blend(d.rearrange(PHASE4_0), FROM4_3));
                sum = sum.add(a.rearrange(PHASE4_1).blend(b.rearrange(PHASE4_1), FROM4_1)
                        .blend(c.rearrange(PHASE4_1), FROM4_2).blend(d.rearrange(PHASE4_1), FROM4_3));
                sum = sum.add(a.rearrange(PHASE4_2).blend(b.rearrange(PHASE4_2), FROM4_1)
                        .blend(c.rearrange(PHASE4_2), FROM4_2).blend(d.rearrange(PHASE4_2), FROM4_3));
                sum = sum.add(a.rearrange(PHASE4_3).blend(b.rearrange(PHASE4_3), FROM4_1)
                        .blend(c.rearrange(PHASE4_3), FROM4_2).blend(d.rearrange(PHASE4_3), FROM4_3));
            }
            sum.intoArray(dx, r + k);
        }
        sumTail(g, gr, ow, n, dx, r, 4, k, w);
    }

    @Override
    void repeat(float[] x, int r, int w, int s, float[] out, int o) {
        if (w < V || s < 2 || s > 4) {
            super.repeat(x, r, w, s, out, o);
            return;
        }
        // Blocks of V inputs left to right, the last one moved back to end at the row's end: it rewrites some of
        // the outputs of the block before with the same values.
        int last = w - V;
        switch (s) {
            case 2 -> {
                for (int k = 0; ; k = Math.min(k + V, last)) {
                    FloatVector v = FloatVector.fromArray(S, x, r + k);
                    v.rearrange(REPEAT2_0).intoArray(out, o + 2 * k);
                    v.rearrange(REPEAT2_1).intoArray(out, o + 2 * k + V);
                    if (k == last) {
                        break;
                    }
                }
            }
            case 3 -> {
                for (int k = 0; ; k = Math.min(k + V, last)) {
                    FloatVector v = FloatVector.fromArray(S, x, r + k);
                    v.rearrange(REPEAT3_0).intoArray(out, o + 3 * k);
                    v.rearrange(REPEAT3_1).intoArray(out, o + 3 * k + V);
                    v.rearrange(REPEAT3_2).intoArray(out, o + 3 * k + 2 * V);
                    if (k == last) {
                        break;
                    }
                }
            }
            default -> {
                for (int k = 0; ; k = Math.min(k + V, last)) {
                    FloatVector v = FloatVector.fromArray(S, x, r + k);
                    v.rearrange(REPEAT4_0).intoArray(out, o + 4 * k);
                    v.rearrange(REPEAT4_1).intoArray(out, o + 4 * k + V);
                    v.rearrange(REPEAT4_2).intoArray(out, o + 4 * k + 2 * V);
                    v.rearrange(REPEAT4_3).intoArray(out, o + 4 * k + 3 * V);
                    if (k == last) {
                        break;
                    }
                }
            }
        }
    }

    /**
     * The column taps prepared for whole vectors: weights padded with zeros to a multiple of V, and per block of V
     * outputs the input column its load starts at and the two permutes that pick each lane's lower and upper input.
     * {@code permuted[b]} is false for a block whose inputs are more than a vector apart.
     */
    private static final class VectorColumns extends Columns {
        final float[] tPad, uPad;
        final int[] start;
        final boolean[] permuted;
        final VectorShuffle<Float>[] lower, upper;
        /** A row narrower than a vector is copied here first, so that whole loads stay inside the array. */
        final float[] narrow;

        @SuppressWarnings("unchecked")
        VectorColumns(Taps cols, int w) {
            super(cols, w, (cols.size() + V - 1) / V * V);
            int blocks = padded / V;
            tPad = java.util.Arrays.copyOf(t, padded);
            uPad = java.util.Arrays.copyOf(u, padded);
            start = new int[blocks];
            permuted = new boolean[blocks];
            lower = new VectorShuffle[blocks];
            upper = new VectorShuffle[blocks];
            narrow = w < V ? new float[V] : null;
            int[] il = new int[V], iu = new int[V];
            for (int b = 0; b < blocks; b++) {
                int j0 = b * V, base = w < V ? 0 : Math.min(c0[j0], w - V);
                boolean fits = true;
                for (int l = 0; l < V; l++) {
                    int j = Math.min(j0 + l, ow - 1); // padding lanes repeat the last column, with weight 0
                    il[l] = c0[j] - base;
                    iu[l] = c1[j] - base;
                    fits &= il[l] >= 0 && iu[l] < V;
                }
                start[b] = base;
                permuted[b] = fits;
                if (fits) {
                    lower[b] = VectorShuffle.fromArray(S, il, 0);
                    upper[b] = VectorShuffle.fromArray(S, iu, 0);
                }
            }
        }
    }

    @Override
    Columns columns(Taps cols, int w) {
        return cols.size() < V ? super.columns(cols, w) : new VectorColumns(cols, w);
    }

    @Override
    void blendColumns(float[] x, int r, Columns c, float[] dst) {
        if (!(c instanceof VectorColumns vc)) {
            super.blendColumns(x, r, c, dst);
            return;
        }
        float[] src = x;
        int row = r;
        if (vc.narrow != null) {
            System.arraycopy(x, r, vc.narrow, 0, vc.w);
            src = vc.narrow;
            row = 0;
        }
        for (int b = 0, j = 0; j < vc.padded; b++, j += V) {
            if (vc.permuted[b]) {
                FloatVector in = FloatVector.fromArray(S, src, row + vc.start[b]);
                FloatVector a = in.rearrange(vc.lower[b]), bb = in.rearrange(vc.upper[b]);
                FloatVector t = FloatVector.fromArray(S, vc.tPad, j), u = FloatVector.fromArray(S, vc.uPad, j);
                (FMA ? bb.fma(t, a.mul(u)) : a.mul(u).add(bb.mul(t))).intoArray(dst, j);
            } else {
                blendColumns(src, row, vc, dst, j, Math.min(j + V, vc.ow));
            }
        }
    }

    @Override
    void blendRows(float[] a, float[] b, float ua, float tb, float[] out, int o, int ow) {
        if (ow < V) {
            super.blendRows(a, b, ua, tb, out, o, ow);
            return;
        }
        FloatVector u = FloatVector.broadcast(S, ua), t = FloatVector.broadcast(S, tb);
        // The last block ends at the row's end, overlapping the one before: same inputs, same outputs.
        int last = ow - V;
        for (int j = 0; ; j = Math.min(j + V, last)) {
            FloatVector va = FloatVector.fromArray(S, a, j), vb = FloatVector.fromArray(S, b, j);
            (FMA ? vb.fma(t, va.mul(u)) : va.mul(u).add(vb.mul(t))).intoArray(out, o + j);
            if (j == last) {
                break;
            }
        }
    }

    @Override
    void spreadRow(float[] g, int gr, int ow, float u, float[] accU, float t, float[] accT) {
        FloatVector vu = FloatVector.broadcast(S, u), vt = FloatVector.broadcast(S, t);
        int j = 0;
        for (; j <= ow - V; j += V) {
            FloatVector v = FloatVector.fromArray(S, g, gr + j);
            // Stored before accT is loaded: the two are one array when the output row reads one input row.
            FloatVector au = FloatVector.fromArray(S, accU, j);
            (FMA ? v.fma(vu, au) : v.mul(vu).add(au)).intoArray(accU, j);
            FloatVector at = FloatVector.fromArray(S, accT, j);
            (FMA ? v.fma(vt, at) : v.mul(vt).add(at)).intoArray(accT, j);
        }
        spreadRow(g, gr, u, accU, t, accT, j, ow); // the ragged end accumulates, so it cannot overlap
    }
}
