package dev.frelon.benchmarks;

import java.util.Arrays;

/**
 * A small timing loop for the comparison runner and the CI smoke pass: warm up for a while, then time
 * {@code reps} slices of about {@code sliceMillis} each and return the median time per call.
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
        long end = System.nanoTime() + warmupMillis * 1_000_000;
        int calls = 0;
        do {
            op.run();
            calls++;
        } while (System.nanoTime() < end || calls < 2);
        double[] t = new double[reps];
        for (int r = 0; r < reps; r++) {
            long start = System.nanoTime(), stop = start + sliceMillis * 1_000_000, now;
            int n = 0;
            do {
                op.run();
                n++;
                now = System.nanoTime();
            } while (now < stop);
            t[r] = (double) (now - start) / n;
        }
        Arrays.sort(t);
        return t[reps / 2];
    }
}
