package dev.frelon.benchmarks.jmh;

import dev.frelon.core.kernel.Calibration;
import dev.frelon.core.kernel.Parallel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * JMH: the machine's limits. {@code fma} runs 1,000,000 rounds of independent FMA chains per thread (GFLOPS =
 * flops per round × rounds × threads / time; {@link Calibration#fmaWork} returns the count); {@code triad} streams
 * {@code dst = a + s·b} over 3 × 64 MB (12 bytes per element).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"})
public class PeakBenchmark {

    /** Threads of the shared pool. */
    @Param({"1", "2"})
    public int threads;

    /** {@code vector} (the chosen kernel path) or {@code plain} (the plain-Java twin). */
    @Param({"vector", "plain"})
    public String path;

    private Calibration calibration;
    private float[] a, b, dst;

    /** Creates the benchmark state (JMH does). */
    public PeakBenchmark() {
    }

    /** Allocates the triad arrays. */
    @Setup(Level.Trial)
    public void setUp() {
        // JMH shows what a fork prints: every report names the processor, kernel path and JDK it ran on.
        System.out.println("# Machine: " + dev.frelon.benchmarks.Machine.describe());
        Parallel.setThreads(threads);
        calibration = path.equals("plain") ? Calibration.plain() : Calibration.chosen();
        int n = 16 << 20;
        a = new float[n];
        b = new float[n];
        dst = new float[n];
        java.util.Arrays.fill(a, 1f);
        java.util.Arrays.fill(b, 2f);
    }

    /** @return floating-point operations executed */
    @Benchmark
    public long fma() {
        return calibration.fmaWork(1_000_000);
    }

    /** @return bytes moved */
    @Benchmark
    public long triad() {
        return calibration.triad(a, b, dst, 0.5f);
    }
}
