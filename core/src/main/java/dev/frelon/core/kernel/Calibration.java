package dev.frelon.core.kernel;

/**
 * Measures what this machine can do, so that benchmark reports can state "% of peak" from the same run:
 * the fused multiply-add peak (many independent FMA chains, no memory traffic) and the streaming bandwidth
 * (a triad {@code dst = a + s·b} over arrays far larger than the caches). Both run on the kernel path the
 * provider chose ({@link Kernels}) and on {@link Parallel#threads()} threads; the plain-Java twins are
 * available through {@link #plain()} for comparison.
 *
 * <p>Allocates nothing per call.
 */
public final class Calibration {

    /** The two primitive loops a calibration needs; one implementation per kernel path. */
    interface Loops {
        /**
         * Runs {@code iterations} rounds of {@link #chains()} independent FMA chains.
         *
         * @return a value depending on every chain (so that the JIT cannot drop the work)
         */
        float fma(long iterations);

        /** @return floating-point operations per iteration (2 per FMA lane) */
        long flopsPerIteration();

        /** Writes {@code dst[i] = a[i] + s·b[i]} for {@code i} in {@code [from, to)}. */
        void triad(float[] a, float[] b, float[] dst, float s, int from, int to);
    }

    private static final Calibration CHOSEN = new Calibration(Kernels.isVectorized()
            ? (Loops) instantiateVector() : new ScalarCalibration());
    private static final Calibration PLAIN = new Calibration(new ScalarCalibration());

    private final Loops loops;

    private Calibration(Loops loops) {
        this.loops = loops;
    }

    /**
     * The calibration on the kernel path {@link Kernels} chose: the Vector API loops when vectorisation is
     * enabled, the plain-Java ones otherwise.
     *
     * @return the calibration on the chosen kernel path (Vector API when enabled)
     */
    public static Calibration chosen() {
        return CHOSEN;
    }

    /**
     * The plain-Java calibration, eight scalar FMA chains, whatever path was chosen; the twin of {@link #chosen()}
     * that benchmarks compare against.
     *
     * @return the plain-Java calibration (scalar FMA chains), the twin of {@link #chosen()}
     */
    public static Calibration plain() {
        return PLAIN;
    }

    private static Object instantiateVector() {
        try {
            var ctor = Class.forName(Calibration.class.getPackageName() + ".VectorCalibration").getDeclaredConstructor();
            ctor.setAccessible(true);
            return ctor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load VectorCalibration", e);
        }
    }

    /**
     * Runs {@code iterations} rounds of independent FMA chains on every thread of the shared pool.
     *
     * @param iterations rounds per thread, at least 1
     * @return the floating-point operations executed (all threads together)
     */
    public long fmaWork(long iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("fmaWork: iterations must be >= 1, got " + iterations);
        }
        int t = Parallel.threads();
        float[] sink = new float[t];
        Parallel.forRange(0, t, 1, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                sink[i] = loops.fma(iterations);
            }
        });
        float s = 0;
        for (float v : sink) {
            s += v;
        }
        if (s == 42.4242f) { // practically never; keeps the result alive
            System.out.print("");
        }
        return loops.flopsPerIteration() * iterations * t;
    }

    /**
     * The streaming triad {@code dst = a + s·b}, split over the shared pool.
     *
     * @param a first source
     * @param b second source, as long as {@code a}
     * @param dst destination (modified), as long as {@code a}
     * @param s the scale
     * @return the bytes moved (two reads and one write per element)
     */
    public long triad(float[] a, float[] b, float[] dst, float s) {
        if (b.length != a.length || dst.length != a.length) {
            throw new IllegalArgumentException("triad: arrays must have equal lengths, got " + a.length + ", "
                    + b.length + ", " + dst.length);
        }
        Parallel.forRange(0, a.length, 1 << 16, (lo, hi) -> loops.triad(a, b, dst, s, lo, hi));
        return 12L * a.length;
    }

    /** Plain-Java loops: eight scalar FMA chains. */
    static final class ScalarCalibration implements Loops {
        private static final boolean FMA = Isa.current().fma();

        @Override
        public float fma(long iterations) {
            float m = 0.999999f, d = 1e-7f;
            float c0 = 1, c1 = 2, c2 = 3, c3 = 4, c4 = 5, c5 = 6, c6 = 7, c7 = 8;
            for (long i = 0; i < iterations; i++) {
                c0 = madd(c0, m, d); c1 = madd(c1, m, d); c2 = madd(c2, m, d); c3 = madd(c3, m, d);
                c4 = madd(c4, m, d); c5 = madd(c5, m, d); c6 = madd(c6, m, d); c7 = madd(c7, m, d);
            }
            return c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7;
        }

        @Override
        public long flopsPerIteration() {
            return 16;
        }

        /** Fused where the hardware has an FMA: {@code Math.fma} without one goes through {@code BigDecimal}. */
        private static float madd(float x, float y, float acc) {
            return FMA ? Math.fma(x, y, acc) : x * y + acc;
        }

        @Override
        public void triad(float[] a, float[] b, float[] dst, float s, int from, int to) {
            for (int i = from; i < to; i++) {
                dst[i] = a[i] + s * b[i];
            }
        }
    }
}
