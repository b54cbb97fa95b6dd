package dev.frelon.core.kernel;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the floating-point operations executed by the GEMM-based kernels (matmul and convolution, which
 * dominate training), two per multiply-add. Compute reports read it before and after a run; counting costs
 * one contended-free add per kernel call, not per element.
 */
public final class FlopCounter {
    private static final LongAdder FLOPS = new LongAdder();

    private FlopCounter() {
    }

    /**
     * Records {@code 2·m·n·k} operations of one matrix product.
     *
     * @param m rows
     * @param n columns
     * @param k inner size
     */
    public static void addGemm(long m, long n, long k) {
        FLOPS.add(2 * m * n * k);
    }

    /**
     * The number of floating-point operations recorded by {@link #addGemm} on all threads so far.
     *
     * @return operations counted since the JVM started (or since {@link #reset()})
     */
    public static long total() {
        return FLOPS.sum();
    }

    /** Sets the count back to zero. */
    public static void reset() {
        FLOPS.reset();
    }
}
