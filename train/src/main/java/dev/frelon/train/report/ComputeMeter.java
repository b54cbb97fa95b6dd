package dev.frelon.train.report;

import dev.frelon.core.kernel.FlopCounter;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;

/**
 * Measures a stretch of work: wall time, process CPU time and FLOPs between {@link #start()} and
 * {@link #stop(long)}.
 * <pre>{@code
 * ComputeMeter meter = ComputeMeter.start();
 * ... train on 60_000 samples ...
 * System.out.println(meter.stop(60_000));
 * }</pre>
 *
 * <p>CPU time is the whole process's (all threads, including the JIT and the garbage collector), read from
 * {@code com.sun.management.OperatingSystemMXBean#getProcessCpuTime()}; where that is unavailable, the sum of
 * the CPU times of the live threads from {@link ThreadMXBean} (which misses threads that have ended). FLOPs
 * come from {@link FlopCounter}, a JVM-wide counter: work done by other threads in the meantime is counted too.
 */
public final class ComputeMeter {

    /**
     * The counters at one instant.
     *
     * @param wallNanos {@link System#nanoTime()}
     * @param cpuNanos process CPU time in nanoseconds, or -1 when the JVM cannot tell
     * @param flops {@link FlopCounter#total()}
     */
    public record Snapshot(long wallNanos, long cpuNanos, long flops) {

        /**
         * Reads the wall clock, the process CPU time ({@link ComputeMeter#processCpuNanos()}) and the FLOP counter.
         *
         * @return the counters now
         */
        public static Snapshot now() {
            return new Snapshot(System.nanoTime(), processCpuNanos(), FlopCounter.total());
        }
    }

    private final Snapshot start;

    private ComputeMeter(Snapshot start) {
        this.start = start;
    }

    /**
     * Starts measuring: takes the {@linkplain Snapshot#now() snapshot} that {@link #stop(long)} measures from.
     *
     * @return a meter started now
     */
    public static ComputeMeter start() {
        return new ComputeMeter(Snapshot.now());
    }

    /**
     * The counters as they were when {@link #start()} was called.
     *
     * @return the snapshot taken at the start
     */
    public Snapshot startSnapshot() {
        return start;
    }

    /**
     * Measures from the start until now (the meter keeps running: calling this again gives a later total).
     * The energy assumptions are the defaults ({@link ComputeReport#defaultWattsPerCore()},
     * {@link ComputeReport#defaultGridIntensity()}); change them with {@link ComputeReport#toBuilder()}.
     *
     * @param samples the number of samples processed since the start, at least 0
     * @return the report
     */
    public ComputeReport stop(long samples) {
        return ComputeReport.between(start, Snapshot.now(), samples);
    }

    /**
     * Reads the CPU time of the whole process, all threads together, from the platform MXBean; falls back to
     * the sum over the live threads (ended threads are then missing from it).
     *
     * @return the CPU time used by this process so far in nanoseconds, or -1 when the JVM cannot tell
     */
    public static long processCpuNanos() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            long t = sun.getProcessCpuTime();
            if (t >= 0) {
                return t;
            }
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isThreadCpuTimeSupported() || !threads.isThreadCpuTimeEnabled()) {
            return -1;
        }
        long sum = 0;
        for (long id : threads.getAllThreadIds()) {
            long t = threads.getThreadCpuTime(id);
            if (t > 0) {
                sum += t;
            }
        }
        return sum;
    }
}
