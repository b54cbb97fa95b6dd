package dev.frelon.benchmarks.jmh;

import org.openjdk.jmh.annotations.Param;

/** JMH: softmax-cross-entropy forward+backward, 256×10 and 256×1000. */
public class SoftmaxCrossEntropyBenchmark extends WorkloadBenchmark {

    /** The workload, by its comparison-runner name. */
    @Param({"softmax_ce_256x10", "softmax_ce_256x1000"})
    public String workload;

    /** Creates the benchmark state (JMH does). */
    public SoftmaxCrossEntropyBenchmark() {
    }

    @Override
    protected String workload() {
        return workload;
    }
}
