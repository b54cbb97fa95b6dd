package dev.frelon.benchmarks.jmh;

import org.openjdk.jmh.annotations.Param;

/** JMH: Conv2d forward and forward+backward on the LeNet shapes and a ResNet-style 64→64 56×56 k3 layer. */
public class ConvBenchmark extends WorkloadBenchmark {

    /** The workload, by its comparison-runner name. */
    @Param({"conv_lenet1_n64_1to6_28_k5_fwd", "conv_lenet1_n64_1to6_28_k5_fwdbwd", "conv_lenet2_n64_6to16_14_k5_fwd", "conv_lenet2_n64_6to16_14_k5_fwdbwd", "conv_res56_n32_64to64_56_k3_fwd", "conv_res56_n32_64to64_56_k3_fwdbwd"})
    public String workload;

    /** Creates the benchmark state (JMH does). */
    public ConvBenchmark() {
    }

    @Override
    protected String workload() {
        return workload;
    }
}
