package dev.frelon.spark;

import dev.frelon.train.fit.BatchTotals;

import java.io.Serializable;

/**
 * What one worker sends back to the driver at the end of a checkpoint interval.
 *
 * @param worker the worker (partition) number
 * @param totals examples trained on, their loss and correct classifications
 * @param indexSum sum of the input indices trained on, with {@code indexSquareSum}: a fingerprint with which the
 *        driver checks that an epoch used every example once
 * @param indexSquareSum sum of their squares
 * @param steps steps run
 * @param computeNanos time spent in forward, backward and the optimizer step
 * @param exchangeNanos time spent in the all-reduce, waiting for the other workers included
 * @param jvm names the JVM the task ran in, so that the driver counts each JVM's counters once
 * @param jvmCpuNanos the JVM's process CPU time during the task (-1 when unknown)
 * @param jvmFlops the JVM's FLOP count during the task
 * @param state the replica's state after the interval, sent by worker 0 only (null from the others)
 */
record SegmentResult(int worker, BatchTotals totals, long indexSum, long indexSquareSum,
                     int steps, long computeNanos, long exchangeNanos, String jvm, long jvmCpuNanos, long jvmFlops,
                     TrainingState state) implements Serializable {

    /** The same result with the counters of the JVM it ran in. */
    SegmentResult withJvm(String name, long cpuNanos, long flops) {
        return new SegmentResult(worker, totals, indexSum, indexSquareSum, steps, computeNanos,
                exchangeNanos, name, cpuNanos, flops, state);
    }
}
