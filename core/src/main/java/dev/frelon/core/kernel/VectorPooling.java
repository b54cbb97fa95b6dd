package dev.frelon.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API pooling: V outputs of a row at a time. Every operation in the loop is a few instructions on AVX-512,
 * AVX2, SSE and NEON alike: plain loads and stores, max, compares, blends, one-vector permutes with a constant
 * shuffle, and a float-to-int conversion. There are no two-vector permutes, masked loads or stores, or mask casts,
 * which AVX2 has no instructions for (the JDK then runs them as Java loops, hundreds of times slower).
 *
 * <p>The 2V inputs of an input row are split into even and odd columns by two one-vector permutes and a blend each;
 * the window position is chosen by blends in {@link ScalarPooling}'s priority order and carried as a float (exact
 * below 2^24) so that it rides the same float masks as the values. Whole vectors are loaded and stored even at a
 * row's ragged end: lanes past it read the next row (or plane) and write outputs that a later step overwrites;
 * only where that would leave the input storage or this call's output planes do the edge lanes go through a small
 * per-thread buffer.
 */
final class VectorPooling implements PoolingKernels {

    private static final VectorSpecies<Float> S = VectorWidth.SPECIES;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());
    private static final int V = S.length();
    /** Lanes {@code [0, V/2)} take the even lanes of a vector, lanes {@code [V/2, V)} its odd lanes. */
    private static final VectorShuffle<Float> EVENS_LOW = VectorShuffle.fromOp(S, l -> l < V / 2 ? 2 * l : 2 * (l - V / 2) + 1);
    /** Lanes {@code [0, V/2)} take the odd lanes of a vector, lanes {@code [V/2, V)} its even lanes. */
    private static final VectorShuffle<Float> EVENS_HIGH = VectorShuffle.fromOp(S, l -> l < V / 2 ? 2 * l + 1 : 2 * (l - V / 2));
    /** Swaps the two halves of a vector: the odd columns come out of the blends high half first. */
    private static final VectorShuffle<Float> HALVES = VectorShuffle.fromOp(S, l -> (l + V / 2) % V);
    /** Lane l: 2l, the column of window l's top-left input relative to the first window's. */
    private static final FloatVector COLUMNS = FloatVector.fromArray(S, columns(), 0);
    /** Lanes {@code [V/2, V)}. */
    private static final VectorMask<Float> HIGH = VectorMask.fromLong(S, ((1L << V) - 1) & ~((1L << (V / 2)) - 1));
    /** Positions are carried in float lanes: exact while a plane has fewer elements than this. */
    private static final int EXACT = 1 << 24;

    /** Per thread: room for one row's edge when whole vectors would leave the storage. */
    private static final ThreadLocal<Edge> EDGE = ThreadLocal.withInitial(Edge::new);

    private static final class Edge {
        final float[] in = new float[4 * V];
        final float[] values = new float[V];
        final int[] positions = new int[V];
    }

    @Override
    public void maxPool2x2(float[] x, int xOff, int h, int w, int oh, int ow, float[] out, int[] arg, int lo, int hi) {
        if ((long) h * w >= EXACT) {
            new ScalarPooling().maxPool2x2(x, xOff, h, w, oh, ow, out, arg, lo, hi);
            return;
        }
        int end = hi * oh * ow;
        for (int p = lo; p < hi; p++) {
            int in = xOff + p * h * w, ob = p * oh * ow;
            for (int i = 0; i < oh; i++) {
                int r0 = in + 2 * i * w, o = ob + i * ow;
                // Rows in order and blocks left to right: the lanes a step writes past a row's end are the next
                // row's first outputs, written again (correctly) by a later step.
                for (int j = 0; j < ow; j += V) {
                    int q = 2 * j;
                    boolean inside = r0 + w + q + 2 * V <= x.length;
                    if (inside && o + j + V <= end) {
                        window(x, r0 + q, r0 + w + q, (float) (2 * i * w + q), w, out, arg, o + j);
                    } else {
                        edge(x, r0 + q, w, inside, (float) (2 * i * w + q), out, arg, o + j, Math.min(V, ow - j));
                    }
                }
            }
        }
    }

    /** One block whose loads or stores would leave the storage or this call's planes: through the edge buffer. */
    private static void edge(float[] x, int top, int w, boolean inside, float base, float[] out, int[] arg, int o,
                             int count) {
        Edge e = EDGE.get();
        int t = top, u = top + w;
        float[] src = x;
        if (!inside) {
            java.util.Arrays.fill(e.in, 0f);
            System.arraycopy(x, top, e.in, 0, Math.min(2 * V, x.length - top));
            System.arraycopy(x, top + w, e.in, 2 * V, Math.min(2 * V, x.length - top - w));
            src = e.in;
            t = 0;
            u = 2 * V;
        }
        window(src, t, u, base, w, e.values, e.positions, 0);
        System.arraycopy(e.values, 0, out, o, count);
        System.arraycopy(e.positions, 0, arg, o, count);
    }

    /**
     * V windows whose top-left inputs are the even columns from {@code x[top]} and {@code x[bottom]}, the next input
     * row: values to {@code out[o..o+V)}, positions ({@code base} is the first window's) to {@code arg[o..o+V)}.
     */
    private static void window(float[] x, int top, int bottom, float base, int w, float[] out, int[] arg, int o) {
        FloatVector t0 = FloatVector.fromArray(S, x, top).rearrange(EVENS_LOW);
        FloatVector t1 = FloatVector.fromArray(S, x, top + V).rearrange(EVENS_HIGH);
        FloatVector u0 = FloatVector.fromArray(S, x, bottom).rearrange(EVENS_LOW);
        FloatVector u1 = FloatVector.fromArray(S, x, bottom + V).rearrange(EVENS_HIGH);
        FloatVector a = t0.blend(t1, HIGH), b = t1.blend(t0, HIGH).rearrange(HALVES);
        FloatVector c = u0.blend(u1, HIGH), d = u1.blend(u0, HIGH).rearrange(HALVES);
        FloatVector best = a.max(b).max(c.max(d)); // NaN if any is NaN
        // Priority a, b, c, d: apply the choices from the last to the first. The input to take equals the maximum
        // or is NaN (x != x). Written out here: a helper taking vectors may not be inlined, and then boxes them.
        VectorMask<Float> ea = a.eq(best).or(a.compare(VectorOperators.NE, a));
        VectorMask<Float> eb = b.eq(best).or(b.compare(VectorOperators.NE, b));
        VectorMask<Float> ec = c.eq(best).or(c.compare(VectorOperators.NE, c));
        FloatVector value = d.blend(c, ec).blend(b, eb).blend(a, ea);
        // Offset in the plane of the chosen input from the window's top-left one: 0, 1, w or w + 1.
        FloatVector row = FloatVector.broadcast(S, w);
        FloatVector offset = row.add(1f).blend(row, ec).blend(1, eb).blend(0, ea);
        FloatVector position = COLUMNS.add(base).add(offset);
        value.intoArray(out, o);
        ((IntVector) position.convert(VectorOperators.F2I, 0)).intoArray(arg, o);
    }


    private static float[] columns() {
        float[] c = new float[V];
        for (int l = 0; l < V; l++) {
            c[l] = 2 * l;
        }
        return c;
    }
}
