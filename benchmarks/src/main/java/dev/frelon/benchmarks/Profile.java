package dev.frelon.benchmarks;

import dev.frelon.core.kernel.Parallel;

import java.util.Locale;

/**
 * Runs one workload in a loop for a while, for profiling (e.g. with {@code -XX:StartFlightRecording}).
 *
 * <pre>
 *   Profile WORKLOAD [SECONDS] [THREADS]
 * </pre>
 */
public final class Profile {

    private Profile() {
    }

    /** @param args workload name, seconds (default 20), threads (default 1) */
    public static void main(String[] args) {
        String name = args[0];
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 20;
        Parallel.setThreads(args.length > 2 ? Integer.parseInt(args[2]) : 1);
        Workloads.Workload w = Workloads.all().stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no workload " + name));
        Workloads.Op op = w.setup().get();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long sliceStart = System.nanoTime(), cpuStart = mx.getCurrentThreadCpuTime();
        int n = 0;
        while (System.nanoTime() < end) {
            op.run();
            n++;
            long now = System.nanoTime();
            if (now - sliceStart > 2_000_000_000L) {
                long cpu = mx.getCurrentThreadCpuTime();
                // On one thread, CPU time is robust to other processes sharing the cores.
                System.out.printf(Locale.ROOT, "%s: %.4g %s (by this thread's CPU time: %.4g)%n", name,
                        w.value((double) (now - sliceStart) / n), w.unit(), w.value((double) (cpu - cpuStart) / n));
                sliceStart = now;
                cpuStart = cpu;
                n = 0;
            }
        }
    }
}
