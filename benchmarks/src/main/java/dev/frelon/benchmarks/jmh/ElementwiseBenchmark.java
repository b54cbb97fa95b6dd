package dev.frelon.benchmarks.jmh;

import org.openjdk.jmh.annotations.Param;

/** JMH: add and relu over 1M and 16M floats. */
public class ElementwiseBenchmark extends WorkloadBenchmark {

    /** The workload, by its comparison-runner name. */
    @Param({"eltwise_add_1m", "eltwise_relu_1m", "eltwise_add_16m", "eltwise_relu_16m"})
    public String workload;

    /** Creates the benchmark state (JMH does). */
    public ElementwiseBenchmark() {
    }

    @Override
    protected String workload() {
        return workload;
    }
}
