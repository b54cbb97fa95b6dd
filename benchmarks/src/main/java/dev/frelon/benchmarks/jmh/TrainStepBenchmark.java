package dev.frelon.benchmarks.jmh;

import org.openjdk.jmh.annotations.Param;

/** JMH: whole SGD training steps (batch 64) of the MLP 784-256-128-10 and LeNet-5, and the autodiff overhead of a tiny Linear 10→1. */
public class TrainStepBenchmark extends WorkloadBenchmark {

    /** The workload, by its comparison-runner name. */
    @Param({"train_mlp_b64", "train_lenet_b64", "overhead_linear10x1_fwdbwd"})
    public String workload;

    /** Creates the benchmark state (JMH does). */
    public TrainStepBenchmark() {
    }

    @Override
    protected String workload() {
        return workload;
    }
}
