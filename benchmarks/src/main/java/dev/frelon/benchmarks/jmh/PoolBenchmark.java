package dev.frelon.benchmarks.jmh;

import org.openjdk.jmh.annotations.Param;

/** JMH: max and average pooling, forward and backward. */
public class PoolBenchmark extends WorkloadBenchmark {

    /** The workload, by its comparison-runner name. */
    @Param({"pool_max2_64x6x28_fwd", "pool_max2_64x6x28_fwdbwd", "pool_avg2_64x6x28_fwd"})
    public String workload;

    /** Creates the benchmark state (JMH does). */
    public PoolBenchmark() {
    }

    @Override
    protected String workload() {
        return workload;
    }
}
