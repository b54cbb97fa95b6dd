package dev.frelon.benchmarks;

import java.util.Arrays;

/**
 * A small timing loop for the comparison runner and the CI smoke pass: warm up until the JIT has settled,
 * then time {@code reps} slices of about {@code sliceMillis} each and return the median time per call.
 *
 * @param warmupMillis time spent calling the operation before measuring
 * @param reps number of timed slices
 * @param sliceMillis length of one slice
 */
public record Timer(long warmupMillis, int reps, long sliceMillis) {

    /**
     * @param op the operation
     * @return the median over slices of the nanoseconds per call
     */
    public double nanosPerCall(Workloads.Op op) {
        warmUp(op);
        double[] t = new double[reps];
        for (int r = 0; r < reps; r++) {
            t[r] = slice(op, sliceMillis);
        }
        Arrays.sort(t);
        return t[reps / 2];
    }

    /**
     * Runs the operation for at least {@code warmupMillis}, then on until the JIT has settled: until two
     * successive 100 ms slices agree within 5% (at most four times the warm-up). C2 compiles large kernels
     * late on a busy machine, and a fixed short warm-up would time the interpreter.
     */
    private void warmUp(Workloads.Op op) {
        if (warmupMillis == 0) {
            return; // the caller warmed up (the smoke pass alternates two operations)
        }
        long start = System.nanoTime(), end = start + warmupMillis * 1_000_000, limit = start + 4 * warmupMillis * 1_000_000;
        int calls = 0;
        do {
            op.run();
            calls++;
        } while (System.nanoTime() < end || calls < 2);
        double previous = slice(op, 100);
        while (System.nanoTime() < limit) {
            double now = slice(op, 100);
            if (Math.abs(now - previous) <= 0.05 * Math.min(now, previous)) {
                return;
            }
            previous = now;
        }
    }

    private static double slice(Workloads.Op op, long millis) {
        long start = System.nanoTime(), stop = start + millis * 1_000_000, now;
        int n = 0;
        do {
            op.run();
            n++;
            now = System.nanoTime();
        } while (now < stop);
        return (double) (now - start) / n;
    }
}
