package dev.frelon.benchmarks;

import dev.frelon.core.kernel.Calibration;

/** The machine's FMA peak and streaming bandwidth, measured with {@link Calibration} on the current thread count. */
public final class Peak {

    private static final int TRIAD_FLOATS = 16 << 20;

    private Peak() {
    }

    /**
     * @param c the calibration path
     * @param timer the timing loop
     * @return the FMA peak in GFLOPS on {@code Parallel.threads()} threads
     */
    public static double fmaGflops(Calibration c, Timer timer) {
        long iters = 200_000;
        long[] flops = new long[1];
        double ns = timer.nanosPerCall(() -> flops[0] = c.fmaWork(iters));
        return flops[0] / ns;
    }

    /**
     * @param c the calibration path
     * @param timer the timing loop
     * @return the triad bandwidth in GB/s over arrays of 64 MB
     */
    public static double triadGBs(Calibration c, Timer timer) {
        float[] a = new float[TRIAD_FLOATS], b = new float[TRIAD_FLOATS], d = new float[TRIAD_FLOATS];
        java.util.Arrays.fill(a, 1f);
        java.util.Arrays.fill(b, 2f);
        long[] bytes = new long[1];
        double ns = timer.nanosPerCall(() -> bytes[0] = c.triad(a, b, d, 0.5f));
        return bytes[0] / ns;
    }
}
