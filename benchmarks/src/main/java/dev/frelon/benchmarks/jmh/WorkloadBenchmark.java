package dev.frelon.benchmarks.jmh;

import dev.frelon.benchmarks.Workloads;
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
 * Base of the JMH benchmarks: runs one {@link Workloads workload} (the same code the comparison runner
 * times) on {@code threads} threads of the shared pool. Each family's subclass lists its workload names.
 * Scores are microseconds per call; {@code benchmarks/compare} converts them to GFLOPS or samples/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"})
public abstract class WorkloadBenchmark {

    /** Threads of the shared pool, the caller included. */
    @Param({"1", "2"})
    public int threads;

    private Workloads.Op op;

    /** Creates the benchmark state (JMH does). */
    protected WorkloadBenchmark() {
    }

    /** @return the workload name chosen by the subclass's parameter */
    protected abstract String workload();

    /** Builds the workload's inputs. */
    @Setup(Level.Trial)
    public void setUp() {
        // JMH shows what a fork prints: every report names the processor, kernel path and JDK it ran on.
        System.out.println("# Machine: " + dev.frelon.benchmarks.Machine.describe());
        Parallel.setThreads(threads);
        String name = workload();
        op = Workloads.all().stream().filter(w -> w.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no workload " + name)).setup().get();
    }

    /** One call of the workload. */
    @Benchmark
    public void run() {
        op.run();
    }
}
