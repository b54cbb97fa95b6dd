package dev.frelon.benchmarks;

import dev.frelon.core.kernel.BinaryOp;
import dev.frelon.core.kernel.Calibration;
import dev.frelon.core.kernel.ElementwiseKernels;
import dev.frelon.core.kernel.Float64Kernels;
import dev.frelon.core.kernel.Gemm;
import dev.frelon.core.kernel.GemmKernel;
import dev.frelon.core.kernel.Isa;
import dev.frelon.core.kernel.Kernels;
import dev.frelon.core.kernel.Parallel;
import dev.frelon.core.kernel.PoolingKernels;
import dev.frelon.core.kernel.ReductionKernels;
import dev.frelon.core.kernel.ScalarElementwise;
import dev.frelon.core.kernel.ScalarFloat64;
import dev.frelon.core.kernel.ScalarGemm;
import dev.frelon.core.kernel.ScalarPooling;
import dev.frelon.core.kernel.ScalarReduction;
import dev.frelon.core.kernel.ScalarSoftmax;
import dev.frelon.core.kernel.ScalarUpsampling;
import dev.frelon.core.kernel.SoftmaxKernels;
import dev.frelon.core.kernel.UnaryOp;
import dev.frelon.core.kernel.UpsamplingKernels;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The CI benchmark smoke pass (a minute or two per instruction-set level): checks ratios measured in the same run,
 * so that it holds on a noisy shared machine, and writes them as JSON.
 *
 * <p>Without {@code --level} it runs itself once per level this machine can compile for, each in a JVM of its own:
 * {@code native}; {@code avx2} ({@code -XX:UseAVX=2}) on an AVX-512 machine; {@code 128-bit}
 * ({@code -XX:MaxVectorSize=16}, the stand-in for NEON) where vectors are wider; {@code sse} ({@code -XX:UseAVX=0}:
 * no AVX, no FMA) on x86. It fails when a level fails twice in a row, each time in a fresh JVM. At each level:
 * <ul>
 *   <li>no Vector API kernel that the level runs may be slower than its plain-Java twin (GEMM, add, relu, sum, dot,
 *       softmax exponentials, 2×2 max pooling, FMA chains, and the float64 add, relu, sum, dot and GEMM), with a 25%
 *       margin for timing noise; a family that runs its plain kernels at a level is reported, not timed (axpy runs
 *       the plain loop on both paths);</li>
 *   <li>single-threaded GEMM at 512³ may not exceed the FMA peak measured in the same run (a peak below what GEMM
 *       reaches is a wrong calibration), and at the native level must reach at least 60% of it.</li>
 * </ul>
 * Timings at an emulated level are indicative only: the JIT compiles as for that instruction set, but the processor
 * is still this one. Each figure is the median of several repetitions, and the two sides of a ratio are measured
 * alternately.
 *
 * <pre>
 *   Smoke [--json FILE]     every level (default benchmarks/target/smoke.json); exit status 1 when a check fails
 *   Smoke --level NAME [--json FILE]   this JVM only, as level NAME
 * </pre>
 */
public final class Smoke {

    private static final int REPS = 7;
    /** Calls a kernel's warm-up makes at least: past HotSpot's thresholds for a C2 compilation (see {@link #warm}). */
    private static final long WARM_CALLS = 2_000;
    /** The longest a warm-up runs, however few calls that allowed. */
    private static final long WARM_LIMIT_MILLIS = 8_000;
    /**
     * A Vector API kernel fails when it is more than this much slower than its twin: timing noise on a shared CI
     * machine must not fail the build (axpy, which C2 vectorises in plain Java and both paths run at memory speed,
     * measured 0.69 to 1.06 from run to run; it now runs the plain loop on both paths). The failures this check
     * exists for (a vector loop that C2 did not intrinsify, or a kernel stuck in the first JIT tier) are 5-50x
     * slowdowns, far below the floor.
     */
    private static final double TWIN_FLOOR = 0.75;
    /** GEMM at 512³ on one thread, as a fraction of the FMA peak, at the native level. */
    private static final double GEMM_FLOOR = 0.60;
    /** GEMM may not beat the measured peak: allow timing noise only. */
    private static final double GEMM_CEILING = 1.02;

    private Smoke() {
    }

    /** A measured ratio and the range it must fall in. */
    record Check(String name, double value, double floor, double ceiling, String detail) {
        Check(String name, double value, double floor, String detail) {
            this(name, value, floor, Double.POSITIVE_INFINITY, detail);
        }

        boolean ok() {
            return value >= floor && value <= ceiling;
        }
    }

    /** An instruction-set level: its name and the HotSpot flags that make the JIT compile for it. */
    record Level(String name, List<String> flags) {
    }

    /**
     * @param args {@code [--level NAME] [--json FILE]}
     * @throws IOException when the JSON file cannot be written
     * @throws InterruptedException when interrupted while a level runs
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        Path json = Path.of("benchmarks/target/smoke.json");
        String level = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--json") && i + 1 < args.length) {
                json = Path.of(args[++i]);
            } else if (args[i].equals("--level") && i + 1 < args.length) {
                level = args[++i];
            } else {
                throw new IllegalArgumentException("smoke: unknown option " + args[i]
                        + " (expected --json FILE, --level NAME)");
            }
        }
        boolean ok = level == null ? allLevels(json) : oneLevel(level, json);
        if (!ok) {
            System.exit(1);
        }
    }

    /** The levels this machine can compile for, native first. */
    static List<Level> levels() {
        List<Level> levels = new ArrayList<>();
        levels.add(new Level("native", List.of()));
        Isa isa = Isa.current();
        if (isa.avx() >= 3) {
            levels.add(new Level("avx2", List.of("-XX:UseAVX=2")));
        }
        if (Kernels.vectorBits() > 128) {
            levels.add(new Level("128-bit", List.of("-XX:MaxVectorSize=16")));
        }
        if (isa.avx() >= 1) {
            levels.add(new Level("sse", List.of("-XX:UseAVX=0")));
        }
        return levels;
    }

    /** Runs every level in a JVM of its own; writes their results together. */
    private static boolean allLevels(Path json) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
        Path dir = json.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean ok = true;
        StringBuilder all = new StringBuilder("{\n  \"levels\": [");
        List<String> failed = new ArrayList<>();
        for (Level level : levels()) {
            Path part = dir.resolve("smoke-" + level.name() + ".json");
            List<String> cmd = new ArrayList<>(List.of(java));
            cmd.addAll(jvmArgs);
            cmd.addAll(level.flags());
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Smoke.class.getName(),
                    "--level", level.name(), "--json", part.toString()));
            System.out.println("smoke: level " + level.name() + (level.flags().isEmpty() ? "" : " " + level.flags()));
            Files.deleteIfExists(part);
            int code = new ProcessBuilder(cmd).inheritIO().start().waitFor();
            if (code != 0) {
                // A Vector API operation that falls back to Java code is slow in every JVM; a kernel that the JIT
                // compiles late or differently in one JVM is slow in that one (the warm-ups now make every kernel
                // reach C2, see warm; a softmax still in C1 code failed one run in several before). One fresh JVM
                // more tells them apart, and the log says it happened.
                System.out.println("smoke: level " + level.name() + " failed; running it once more in a fresh JVM");
                Files.deleteIfExists(part);
                code = new ProcessBuilder(cmd).inheritIO().start().waitFor();
            }
            if (code != 0) {
                ok = false;
                failed.add(level.name());
            }
            all.append(all.charAt(all.length() - 1) == '[' ? "\n" : ",\n").append(Files.exists(part)
                    ? Files.readString(part).strip().indent(4).stripTrailing()
                    : "    {\"level\": \"" + level.name() + "\", \"passed\": false, \"exit\": " + code + "}");
        }
        all.append("\n  ],\n  \"passed\": ").append(ok).append("\n}\n");
        Files.writeString(json, all);
        System.out.println("smoke: wrote " + json + (ok ? "; every level passed" : "; FAILED at " + failed));
        return ok;
    }

    /** The checks, in this JVM, reported as {@code level}. */
    private static boolean oneLevel(String level, Path json) throws IOException {
        boolean emulated = !Machine.emulationFlags().isEmpty();
        System.out.println("smoke[" + level + "]: " + Machine.describe());
        List<Check> checks = new ArrayList<>();
        if (!Kernels.isVectorized()) {
            System.out.println("smoke[" + level + "]: FAILED: the Vector API path is not in use ("
                    + Kernels.description() + ")");
            return false;
        }
        Parallel.setThreads(1);
        GemmKernel vg = Kernels.vectorImplementation(GemmKernel.class), sg = new ScalarGemm();
        ElementwiseKernels ve = Kernels.vectorImplementation(ElementwiseKernels.class), se = new ScalarElementwise();
        ReductionKernels vr = Kernels.vectorImplementation(ReductionKernels.class), sr = new ScalarReduction();

        // GEMM against the FMA peak, both measured here, alternately.
        int s = 512;
        float[] a = rand(s * s, 1), b = rand(s * s, 2), c = new float[s * s];
        Timer slice = new Timer(0, 1, 150);
        Workloads.Op gemm = () -> Gemm.gemm(s, s, s, a, 0, s, 1, b, 0, s, 1, c, 0, s, false);
        long[] flops = new long[1];
        Workloads.Op fma = () -> flops[0] = Calibration.chosen().fmaWork(100_000);
        warm(gemm, 1500, 0); // its kernels run thousands of times per call
        warm(fma, 500, 0);
        double[] gemmG = new double[REPS], peakG = new double[REPS];
        for (int r = 0; r < REPS; r++) {
            gemmG[r] = 2.0 * s * s * s / slice.nanosPerCall(gemm);
            peakG[r] = flops[0] / slice.nanosPerCall(fma);
        }
        double gm = median(gemmG), pk = median(peakG);
        checks.add(new Check("gemm_512_fraction_of_fma_peak", gm / pk, emulated ? 0 : GEMM_FLOOR, GEMM_CEILING,
                String.format(Locale.ROOT, "GEMM %.1f GFLOPS, FMA peak %.1f GFLOPS (1 thread)", gm, pk)));

        // Vector API kernels against their plain-Java twins, where this level runs them.
        List<String> plainHere = new ArrayList<>();
        int g = 192;
        float[] ga = rand(g * g, 3), gb = rand(g * g, 4), gc = new float[g * g];
        if (runsVector(GemmKernel.CHOSEN, ScalarGemm.class, "gemm", plainHere)) {
            twin(checks, "gemm_192", () -> vg.gemm(g, g, g, ga, 0, g, 1, gb, 0, g, 1, gc, 0, g, false),
                    () -> sg.gemm(g, g, g, ga, 0, g, 1, gb, 0, g, 1, gc, 0, g, false));
        }
        int n = 1 << 18;
        float[] x = rand(n, 5), y = rand(n, 6), out = new float[n];
        if (runsVector(ElementwiseKernels.CHOSEN, ScalarElementwise.class, "elementwise", plainHere)) {
            twin(checks, "add_256k", () -> ve.binary(BinaryOp.ADD, x, 0, 1, y, 0, 1, out, 0, n),
                    () -> se.binary(BinaryOp.ADD, x, 0, 1, y, 0, 1, out, 0, n));
            twin(checks, "relu_256k", () -> ve.unary(UnaryOp.RELU, x, 0, 1, out, 0, n),
                    () -> se.unary(UnaryOp.RELU, x, 0, 1, out, 0, n));
        }
        float[] sink = new float[1];
        if (runsVector(ReductionKernels.CHOSEN, ScalarReduction.class, "reduction", plainHere)) {
            twin(checks, "sum_256k", () -> sink[0] += vr.sum(x, 0, n), () -> sink[0] += sr.sum(x, 0, n));
            twin(checks, "dot_256k", () -> sink[0] += vr.dot(x, 0, y, 0, n), () -> sink[0] += sr.dot(x, 0, y, 0, n));
        }
        if (runsVector(Float64Kernels.CHOSEN, ScalarFloat64.class, "float64", plainHere)) {
            Float64Kernels vd = Kernels.vectorImplementation(Float64Kernels.class), sd = new ScalarFloat64();
            int d = 1 << 16;
            double[] dx = rand64(d, 10), dy = rand64(d, 11), dout = new double[d], dsink = new double[1];
            twin(checks, "f64_add_64k", () -> vd.binary(BinaryOp.ADD, dx, 0, 1, dy, 0, 1, dout, 0, d),
                    () -> sd.binary(BinaryOp.ADD, dx, 0, 1, dy, 0, 1, dout, 0, d));
            twin(checks, "f64_sum_64k", () -> dsink[0] += vd.sum(dx, 0, d), () -> dsink[0] += sd.sum(dx, 0, d));
            twin(checks, "f64_dot_64k", () -> dsink[0] += vd.dot(dx, 0, dy, 0, d),
                    () -> dsink[0] += sd.dot(dx, 0, dy, 0, d));
            if (Isa.current().sseOnly()) {
                // Both twins run a scalar Math.max loop without AVX (C2 vectorises no double max there).
                plainHere.add("float64 relu");
            } else {
                twin(checks, "f64_relu_64k", () -> vd.unary(UnaryOp.RELU, dx, 0, 1, dout, 0, d),
                        () -> sd.unary(UnaryOp.RELU, dx, 0, 1, dout, 0, d));
            }
            if (Isa.current().fma()) {
                int h = 128;
                double[] da = rand64(h * h, 12), db = rand64(h * h, 13), dc = new double[h * h];
                twin(checks, "f64_gemm_128", () -> vd.gemm(h, h, h, da, 0, h, 1, db, 0, h, 1, dc, 0, h, false),
                        () -> sd.gemm(h, h, h, da, 0, h, 1, db, 0, h, 1, dc, 0, h, false));
            } else {
                // Without a hardware FMA both twins run the plain Math.fma loop (through BigDecimal: seconds a call).
                plainHere.add("float64 gemm");
            }
        }
        if (runsVector(SoftmaxKernels.CHOSEN, ScalarSoftmax.class, "softmax", plainHere)) {
            SoftmaxKernels vs = Kernels.vectorImplementation(SoftmaxKernels.class), ss = new ScalarSoftmax();
            float[] logits = rand(1000, 7), probs = new float[1000];
            twin(checks, "softmax_exp_1000", () -> sink[0] += vs.expShiftSum(logits, 0, 1000, 0.5f, probs, 0),
                    () -> sink[0] += ss.expShiftSum(logits, 0, 1000, 0.5f, probs, 0));
        }
        if (runsVector(PoolingKernels.CHOSEN, ScalarPooling.class, "pooling", plainHere)) {
            PoolingKernels vp = Kernels.vectorImplementation(PoolingKernels.class), sp = new ScalarPooling();
            float[] planes = rand(6 * 28 * 28, 8), pooled = new float[6 * 14 * 14];
            int[] argmax = new int[pooled.length];
            twin(checks, "maxpool2x2_6x28x28", () -> vp.maxPool2x2(planes, 0, 28, 28, 14, 14, pooled, argmax, 0, 6),
                    () -> sp.maxPool2x2(planes, 0, 28, 28, 14, 14, pooled, argmax, 0, 6));
        }
        if (runsVector(UpsamplingKernels.CHOSEN, ScalarUpsampling.class, "upsampling", plainHere)) {
            UpsamplingKernels vu = Kernels.vectorImplementation(UpsamplingKernels.class), su = new ScalarUpsampling();
            int planes = 64;
            float[] small = rand(planes * 16 * 16, 9), big = new float[planes * 32 * 32];
            int[] twice = UpsamplingKernels.nearestIndex(16, 32);
            UpsamplingKernels.Taps taps = UpsamplingKernels.Taps.of(16, 32, false);
            twin(checks, "nearest2x_64x16x16", () -> vu.nearest(small, 0, 16, 16, twice, twice, big, 0, planes),
                    () -> su.nearest(small, 0, 16, 16, twice, twice, big, 0, planes));
            twin(checks, "bilinear2x_64x16x16", () -> vu.bilinear(small, 0, 16, 16, taps, taps, big, 0, planes),
                    () -> su.bilinear(small, 0, 16, 16, taps, taps, big, 0, planes));
        }
        // The FMA chains differ in work per call (vector lanes): compare rates, by running the plain twin for
        // as many floating-point operations as the vector one.
        long vIters = 20_000;
        long pIters = vIters * Calibration.chosen().fmaWork(1) / Calibration.plain().fmaWork(1);
        twin(checks, "fma_chains", () -> Calibration.chosen().fmaWork(vIters),
                () -> Calibration.plain().fmaWork(pIters));

        boolean ok = true;
        for (Check ch : checks) {
            ok &= ch.ok();
            String range = ch.ceiling == Double.POSITIVE_INFINITY
                    ? String.format(Locale.ROOT, "floor %.2f", ch.floor)
                    : String.format(Locale.ROOT, "%.2f..%.2f", ch.floor, ch.ceiling);
            System.out.printf(Locale.ROOT, "smoke[%s]: %-36s %8.2f (%s) %s  %s%n", level, ch.name, ch.value, range,
                    ch.ok() ? "ok  " : "FAIL", ch.detail);
        }
        if (!plainHere.isEmpty()) {
            System.out.println("smoke[" + level + "]: plain kernels chosen at this level (not timed): " + plainHere);
        }
        writeJson(json, level, emulated, checks, ok);
        System.out.println("smoke[" + level + "]: " + (ok ? "all checks passed" : "FAILED")
                + (emulated ? " (emulated level: timings indicative only)" : ""));
        return ok;
    }

    /** Whether this level runs the family's Vector API kernels; records it in {@code plain} when not. */
    private static boolean runsVector(Object chosen, Class<?> plainClass, String family, List<String> plain) {
        if (chosen.getClass() == plainClass) {   // exactly: a vector class may extend its plain twin
            plain.add(family);
            return false;
        }
        return true;
    }

    /** Speed-up of the Vector API kernel over its plain twin: plain time / vector time, medians, alternated. */
    private static void twin(List<Check> checks, String name, Workloads.Op vector, Workloads.Op plain) {
        warm(vector, 400, WARM_CALLS);
        warm(plain, 400, WARM_CALLS);
        Timer slice = new Timer(0, 1, 60);
        double[] v = new double[REPS], p = new double[REPS];
        for (int r = 0; r < REPS; r++) {
            v[r] = slice.nanosPerCall(vector);
            p[r] = slice.nanosPerCall(plain);
        }
        double vm = median(v), pm = median(p);
        checks.add(new Check("vector_over_plain_" + name, pm / vm, TWIN_FLOOR,
                String.format(Locale.ROOT, "vector %.1f us, plain %.1f us", vm / 1e3, pm / 1e3)));
    }

    /**
     * Runs op for at least {@code millis} and at least {@code minCalls} calls (at most {@link #WARM_LIMIT_MILLIS}).
     * Time alone is not enough: C1's code for a Vector API kernel runs the API's Java fallback, about 1,000× slower
     * than C2's, and HotSpot compiles a method with C2 only after about 600 calls (Tier4MinInvocationThreshold) however
     * many loop iterations they ran; 400 ms of 1 ms calls left a softmax kernel in C1 (seen under
     * {@code -XX:UseAVX=2}: 1,310 µs against 0.5 µs once compiled).
     */
    private static void warm(Workloads.Op op, long millis, long minCalls) {
        long start = System.nanoTime(), end = start + millis * 1_000_000, limit = start + WARM_LIMIT_MILLIS * 1_000_000;
        long calls = 0;
        do {
            op.run();
            calls++;
        } while ((System.nanoTime() < end || calls < minCalls) && System.nanoTime() < limit);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static float[] rand(int n, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return a;
    }

    private static double[] rand64(int n, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextDouble() * 2 - 1;
        }
        return a;
    }

    private static void writeJson(Path file, String level, boolean emulated, List<Check> checks, boolean ok)
            throws IOException {
        StringBuilder sb = new StringBuilder("{\n  \"level\": \"" + level + "\",\n  \"emulated\": " + emulated
                + ",\n  \"machine\": \"" + Machine.describe() + "\",\n  \"passed\": " + ok + ",\n  \"checks\": [");
        for (int i = 0; i < checks.size(); i++) {
            Check c = checks.get(i);
            sb.append(i == 0 ? "\n" : ",\n").append(String.format(Locale.ROOT,
                    "    {\"name\": \"%s\", \"value\": %.4f, \"floor\": %.2f, \"ok\": %b, \"detail\": \"%s\"}",
                    c.name, c.value, c.floor, c.ok(), c.detail));
        }
        sb.append("\n  ]\n}\n");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, sb);
    }
}
