package dev.frelon.benchmarks.jmh;

import org.openjdk.jmh.annotations.Param;

/**
 * JMH: a generator's ×2 upsampling, [32, 64, 16, 16] to [32, 64, 32, 32], nearest and bilinear (align_corners
 * false), forward and backward. Run it again with {@code -jvmArgsAppend -Dfrelon.vector.bits=0} for the plain twin.
 */
public class UpsampleBenchmark extends WorkloadBenchmark {

    /** The workload, by its comparison-runner name. */
    @Param({"upsample_nearest2_32x64x16_fwd", "upsample_nearest2_32x64x16_bwd", "upsample_bilinear2_32x64x16_fwd",
            "upsample_bilinear2_32x64x16_bwd"})
    public String workload;

    /** Creates the benchmark state (JMH does). */
    public UpsampleBenchmark() {
    }

    @Override
    protected String workload() {
        return workload;
    }
}
