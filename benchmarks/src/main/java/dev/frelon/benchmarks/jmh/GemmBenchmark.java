package dev.frelon.benchmarks.jmh;

import org.openjdk.jmh.annotations.Param;

/** JMH: GEMM, square 64–2048 and the MLP shapes (forward X·W, backward Xᵀ·dY and dY·Wᵀ). */
public class GemmBenchmark extends WorkloadBenchmark {

    /** The workload, by its comparison-runner name. */
    @Param({"gemm_64", "gemm_128", "gemm_256", "gemm_512", "gemm_1024", "gemm_2048", "gemm_mlp_64x784x256", "gemm_mlp_xtdy_784x64x256", "gemm_mlp_dywt_64x256x784", "gemm_mlp_256x784x256", "gemm_mlp_xtdy_784x256x256", "gemm_mlp_dywt_256x256x784"})
    public String workload;

    /** Creates the benchmark state (JMH does). */
    public GemmBenchmark() {
    }

    @Override
    protected String workload() {
        return workload;
    }
}
