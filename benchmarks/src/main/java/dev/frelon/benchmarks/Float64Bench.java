package dev.frelon.benchmarks;

import dev.frelon.core.kernel.BinaryOp;
import dev.frelon.core.kernel.Calibration;
import dev.frelon.core.kernel.Float64Kernels;
import dev.frelon.core.kernel.Kernels;
import dev.frelon.core.kernel.Parallel;
import dev.frelon.core.kernel.ScalarFloat64;
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

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * JMH: the float64 kernels, Vector API twin against plain-Java twin, on one thread (the kernels start none):
 * {@code gemm} is a 256×256×256 product (33.6 MFLOP per call: GFLOPS = 33.55 / µs per call × 1000), {@code add}
 * and {@code sum} run over 2^16 doubles (512 KB per operand), {@code dot} over two such runs. {@code fmaPeak} is the
 * one-thread float FMA peak of {@link Calibration#chosen()} (1,000,000 rounds of 16 vector FMAs: 512 flops
 * per round at 512 bits, 256 at 256, 128 at 128); the float64 peak is half of it, as a vector holds half as many
 * doubles and the FMA units are the same. Run it once per
 * instruction-set level, e.g.
 *
 * <pre>
 *   java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) org.openjdk.jmh.Main Float64Bench
 *   ... org.openjdk.jmh.Main Float64Bench -jvmArgsAppend -XX:UseAVX=2
 *   ... org.openjdk.jmh.Main Float64Bench -jvmArgsAppend -XX:MaxVectorSize=16
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"})
public class Float64Bench {

    /** Side of the square product. */
    private static final int G = 256;
    /** Length of the elementwise and reduction runs. */
    private static final int N = 1 << 16;

    /** {@code vector} (the Vector API twin) or {@code plain} (the plain-Java twin). */
    @Param({"vector", "plain"})
    public String path;

    private Float64Kernels kernels;
    private double[] a, b, c, x, y, out;

    /** Creates the benchmark state (JMH does). */
    public Float64Bench() {
    }

    /** Picks the twin and fills the operands with values in [-1, 1). */
    @Setup(Level.Trial)
    public void setUp() {
        // JMH shows what a fork prints: every report names the processor, kernel path and JDK it ran on.
        System.out.println("# Machine: " + Machine.describe());
        // One thread: the kernels start none, and fmaPeak (split over the shared pool) must measure one core too.
        Parallel.setThreads(1);
        kernels = path.equals("plain") ? new ScalarFloat64() : Kernels.vectorImplementation(Float64Kernels.class);
        a = random(G * G, 1);
        b = random(G * G, 2);
        c = new double[G * G];
        x = random(N, 3);
        y = random(N, 4);
        out = new double[N];
    }

    private static double[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextDouble() * 2 - 1;
        }
        return v;
    }

    /** {@code C = A·B}, 256³, dense row-major operands. */
    @Benchmark
    public void gemm() {
        kernels.gemm(G, G, G, a, 0, G, 1, b, 0, G, 1, c, 0, G, false);
    }

    /** {@code out = x + y} over 2^16 doubles. */
    @Benchmark
    public void add() {
        kernels.binary(BinaryOp.ADD, x, 0, 1, y, 0, 1, out, 0, N);
    }

    /** @return the sum of 2^16 doubles (returned, so that JMH keeps it) */
    @Benchmark
    public double sum() {
        return kernels.sum(x, 0, N);
    }

    /** @return the dot product of two runs of 2^16 doubles */
    @Benchmark
    public double dot() {
        return kernels.dot(x, 0, y, 0, N);
    }

    /**
     * @return float flops executed by the chosen path's FMA chains (the same for both values of {@link #path}: run
     *         it with {@code -p path=vector} alone)
     */
    @Benchmark
    public long fmaPeak() {
        return Calibration.chosen().fmaWork(1_000_000);
    }
}
