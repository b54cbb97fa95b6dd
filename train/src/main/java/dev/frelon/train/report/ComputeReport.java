package dev.frelon.train.report;

import java.util.Locale;

/**
 * What a stretch of work cost: samples per second, wall and CPU time, FLOPs and achieved GFLOP/s, and an
 * estimate of the energy used and the CO2-equivalent emitted.
 *
 * <p><b>The energy estimate is a rough model resting on two assumptions</b>, both overridable:
 * <ul>
 *   <li><b>Watts per busy core</b> (default {@value #DEFAULT_WATTS_PER_CORE} W): energy = CPU time (in
 *   core-seconds) x watts per core. The default is an assumption, not a measurement: desktop and server CPUs
 *   draw very roughly 65 to 300 W at full load spread over 8 to 64 cores, that is some 4 to 15 W per busy
 *   core, and 10 W is a round figure in that span. The model ignores memory, disks, fans, idle power,
 *   power-supply losses and data-centre overhead (PUE), and a core waiting on memory counts as busy. Override
 *   with {@link Builder#wattsPerCore} or the system property {@value #WATTS_PROPERTY}.</li>
 *   <li><b>Grid carbon intensity</b> (default {@value #DEFAULT_GRID_INTENSITY} gCO2e/kWh): CO2e = energy x
 *   intensity. The default is an assumption near the world average of recent years (estimates by the IEA
 *   and Ember are in the 400s), rounded; real grids range from a few tens (hydro, nuclear) to over 700
 *   (coal). Override with {@link Builder#gridIntensity} or the system property {@value #GRID_PROPERTY}.</li>
 * </ul>
 * For example 3600 s of CPU time at 10 W per core is 36 kJ = 0.01 kWh, which at 400 gCO2e/kWh is 4 g.
 *
 * <p>When the CPU time is unknown ({@code -1}), the CPU-derived values are NaN.
 */
public final class ComputeReport {
    /** Default watts drawn per busy core (an assumption; see the class comment). */
    public static final double DEFAULT_WATTS_PER_CORE = 10.0;
    /** Default grid carbon intensity in gCO2e per kWh (an assumption; see the class comment). */
    public static final double DEFAULT_GRID_INTENSITY = 400.0;
    /** System property overriding the default watts per busy core. */
    public static final String WATTS_PROPERTY = "frelon.watts.per.core";
    /** System property overriding the default grid intensity in gCO2e/kWh. */
    public static final String GRID_PROPERTY = "frelon.grid.gco2.per.kwh";

    private static final double JOULES_PER_KWH = 3.6e6;

    private final long samples;
    private final long wallNanos;
    private final long cpuNanos;
    private final long flops;
    private final double wattsPerCore;
    private final double gridIntensity;

    private ComputeReport(Builder b) {
        this.samples = b.samples;
        this.wallNanos = b.wallNanos;
        this.cpuNanos = b.cpuNanos;
        this.flops = b.flops;
        this.wattsPerCore = Double.isNaN(b.wattsPerCore) ? defaultWattsPerCore() : b.wattsPerCore;
        this.gridIntensity = Double.isNaN(b.gridIntensity) ? defaultGridIntensity() : b.gridIntensity;
    }

    /**
     * A report for the work between two snapshots, with the default assumptions.
     *
     * @param start the earlier snapshot
     * @param end the later snapshot
     * @param samples the samples processed in between
     * @return the report
     */
    public static ComputeReport between(ComputeMeter.Snapshot start, ComputeMeter.Snapshot end, long samples) {
        long cpu = start.cpuNanos() < 0 || end.cpuNanos() < 0 ? -1 : Math.max(0, end.cpuNanos() - start.cpuNanos());
        return builder()
                .samples(samples)
                .wallNanos(Math.max(0, end.wallNanos() - start.wallNanos()))
                .cpuNanos(cpu)
                .flops(Math.max(0, end.flops() - start.flops()))
                .build();
    }

    /**
     * Starts a report from explicit values, e.g. to restate a measurement made elsewhere; assumptions not set are
     * resolved when {@link Builder#build()} runs.
     *
     * @return a builder with everything 0 (CPU time 0) and the default assumptions
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Copies this report's measurements and resolved assumptions into a new builder; this report is unchanged.
     *
     * @return a builder holding this report's values, to change some (for example the assumptions)
     */
    public Builder toBuilder() {
        return builder().samples(samples).wallNanos(wallNanos).cpuNanos(cpuNanos).flops(flops)
                .wattsPerCore(wattsPerCore).gridIntensity(gridIntensity);
    }

    /**
     * The watts-per-core assumption used when a builder sets none, read from the system property at each call.
     *
     * @return the system property {@value #WATTS_PROPERTY} when set, else {@value #DEFAULT_WATTS_PER_CORE}
     * @throws IllegalArgumentException when the property is not a non-negative finite number
     */
    public static double defaultWattsPerCore() {
        return property(WATTS_PROPERTY, DEFAULT_WATTS_PER_CORE);
    }

    /**
     * The grid-intensity assumption used when a builder sets none, read from the system property at each call.
     *
     * @return the system property {@value #GRID_PROPERTY} when set, else {@value #DEFAULT_GRID_INTENSITY}
     * @throws IllegalArgumentException when the property is not a non-negative finite number
     */
    public static double defaultGridIntensity() {
        return property(GRID_PROPERTY, DEFAULT_GRID_INTENSITY);
    }

    private static double property(String name, double fallback) {
        String s = System.getProperty(name);
        if (s == null || s.isBlank()) {
            return fallback;
        }
        double v;
        try {
            v = Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ComputeReport: system property " + name + "='" + s
                    + "' is not a number; expected a non-negative value such as " + fallback);
        }
        return checkNonNegative("system property " + name, v);
    }

    private static double checkNonNegative(String what, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("ComputeReport: " + what + " must be a non-negative finite number, got "
                    + v);
        }
        return v;
    }

    /**
     * The number of samples (examples) the measured work processed.
     *
     * @return the samples processed
     */
    public long samples() {
        return samples;
    }

    /**
     * The elapsed real time of the measured work, from {@link System#nanoTime()}.
     *
     * @return the wall-clock time in nanoseconds
     */
    public long wallNanos() {
        return wallNanos;
    }

    /**
     * The CPU time all threads of the process used during the measured work, summed over cores.
     *
     * @return the process CPU time in nanoseconds, or -1 when unknown
     */
    public long cpuNanos() {
        return cpuNanos;
    }

    /**
     * The floating-point operations of the measured work, as counted by {@link dev.frelon.core.kernel.FlopCounter}
     * (matrix products and convolutions only; elementwise work is not counted).
     *
     * @return the floating-point operations counted by the GEMM-based kernels
     */
    public long flops() {
        return flops;
    }

    /**
     * The power assumption behind {@link #energyJoules()}, set on the builder or taken from the default.
     *
     * @return the assumed watts per busy core
     */
    public double wattsPerCore() {
        return wattsPerCore;
    }

    /**
     * The carbon-intensity assumption behind {@link #co2eGrams()}, set on the builder or taken from the default.
     *
     * @return the assumed grid carbon intensity in gCO2e per kWh
     */
    public double gridIntensity() {
        return gridIntensity;
    }

    /**
     * The elapsed real time, {@link #wallNanos()} / 10^9.
     *
     * @return the wall-clock time in seconds
     */
    public double wallSeconds() {
        return wallNanos / 1e9;
    }

    /**
     * The process CPU time, {@link #cpuNanos()} / 10^9: one second per fully busy core per second of wall time.
     *
     * @return the CPU time in seconds (core-seconds), NaN when unknown
     */
    public double cpuSeconds() {
        return cpuNanos < 0 ? Double.NaN : cpuNanos / 1e9;
    }

    /**
     * The throughput, {@link #samples()} / {@link #wallSeconds()}.
     *
     * @return samples per wall-clock second (NaN for zero wall time)
     */
    public double samplesPerSecond() {
        return wallNanos == 0 ? Double.NaN : samples / wallSeconds();
    }

    /**
     * The achieved compute rate, {@link #flops()} / {@link #wallSeconds()} / 10^9.
     *
     * @return billions of counted FLOPs per wall-clock second (NaN for zero wall time)
     */
    public double gflopsPerSecond() {
        return wallNanos == 0 ? Double.NaN : flops / wallSeconds() / 1e9;
    }

    /**
     * How parallel the work ran, {@link #cpuSeconds()} / {@link #wallSeconds()}; it includes the JIT and
     * garbage-collector threads.
     *
     * @return CPU time over wall time: the average number of busy cores (NaN when unknown)
     */
    public double averageBusyCores() {
        return wallNanos == 0 ? Double.NaN : cpuSeconds() / wallSeconds();
    }

    /**
     * Estimates the energy used from the CPU time and the watts-per-core assumption (see the class comment for what the
     * model leaves out).
     *
     * @return the estimated energy in joules: CPU seconds x watts per core (NaN when CPU time is unknown)
     */
    public double energyJoules() {
        return cpuSeconds() * wattsPerCore;
    }

    /**
     * The {@linkplain #energyJoules() estimated energy} converted to kilowatt-hours (3.6 MJ each); NaN when the CPU
     * time is unknown.
     *
     * @return the estimated energy in kWh
     */
    public double energyKwh() {
        return energyJoules() / JOULES_PER_KWH;
    }

    /**
     * Estimates the emissions from the {@linkplain #energyKwh() estimated energy} and the grid-intensity assumption;
     * NaN when the CPU time is unknown.
     *
     * @return the estimated emissions in grams of CO2-equivalent: kWh x grid intensity
     */
    public double co2eGrams() {
        return energyKwh() * gridIntensity;
    }

    /**
     * Formats the report as lines of samples and throughput, CPU time, FLOPs, energy and CO2e, each estimate with the
     * assumption it rests on.
     *
     * @return a readable multi-line summary
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Compute report\n");
        sb.append(String.format(Locale.ROOT, "  samples      %,d in %s (%s samples/s)%n", samples,
                seconds(wallSeconds()), num(samplesPerSecond())));
        if (cpuNanos < 0) {
            sb.append("  CPU time     unknown (this JVM does not report it)\n");
        } else {
            sb.append(String.format(Locale.ROOT, "  CPU time     %s (%s cores busy on average)%n",
                    seconds(cpuSeconds()), num(averageBusyCores())));
        }
        sb.append(String.format(Locale.ROOT, "  FLOPs        %s (%s GFLOP/s achieved, GEMM-based kernels only)%n",
                flops(flops), num(gflopsPerSecond())));
        sb.append(String.format(Locale.ROOT, "  energy       %s Wh = %s kWh (estimate, assuming %s W per busy core)%n",
                num(energyKwh() * 1000), sci(energyKwh()), num(wattsPerCore)));
        sb.append(String.format(Locale.ROOT, "  CO2e         %s g (estimate, assuming %s gCO2e/kWh)%n",
                num(co2eGrams()), num(gridIntensity)));
        return sb.toString();
    }

    private static String seconds(double s) {
        if (Double.isNaN(s)) {
            return "n/a";
        }
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%.3f s (%d h %02d min)", s, (long) (s / 3600), (long) (s % 3600) / 60);
        }
        return String.format(Locale.ROOT, "%.3f s", s);
    }

    /** Three significant digits, without scientific notation for ordinary magnitudes. */
    static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a == 0) {
            return "0";
        }
        if (a >= 1e9 || a < 1e-3) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        int decimals = a >= 10 ? 1 : a >= 1 ? 2 : (int) Math.ceil(-Math.log10(a)) + 2;
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String sci(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3g", v);
    }

    private static String flops(long f) {
        if (f < 1000) {
            return f + "";
        }
        String[] units = {"kFLOP", "MFLOP", "GFLOP", "TFLOP", "PFLOP", "EFLOP"};
        double v = f;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.3g %s", v, units[u]);
    }

    /** Builds a {@link ComputeReport} from measured values and assumptions. */
    public static final class Builder {
        private long samples;
        private long wallNanos;
        private long cpuNanos;
        private long flops;
        private double wattsPerCore = Double.NaN;
        private double gridIntensity = Double.NaN;

        private Builder() {
        }

        /**
         * Sets the number of samples processed (0 by default).
         *
         * @param samples samples processed, at least 0
         * @return this builder
         * @throws IllegalArgumentException when {@code samples} is negative
         */
        public Builder samples(long samples) {
            if (samples < 0) {
                throw new IllegalArgumentException("ComputeReport: samples must be at least 0, got " + samples);
            }
            this.samples = samples;
            return this;
        }

        /**
         * Sets the elapsed real time (0 by default).
         *
         * @param wallNanos wall-clock time in nanoseconds, at least 0
         * @return this builder
         * @throws IllegalArgumentException when {@code wallNanos} is negative
         */
        public Builder wallNanos(long wallNanos) {
            if (wallNanos < 0) {
                throw new IllegalArgumentException("ComputeReport: wall time must be at least 0 ns, got " + wallNanos);
            }
            this.wallNanos = wallNanos;
            return this;
        }

        /**
         * Sets the elapsed real time in seconds, rounded to the nearest nanosecond.
         *
         * @param seconds wall-clock time in seconds, at least 0
         * @return this builder
         * @throws IllegalArgumentException when {@code seconds} is negative, infinite or NaN
         */
        public Builder wallSeconds(double seconds) {
            return wallNanos(Math.round(checkNonNegative("wall time", seconds) * 1e9));
        }

        /**
         * Sets the process CPU time (0 by default); -1 makes the CPU-derived values NaN.
         *
         * @param cpuNanos process CPU time in nanoseconds, or -1 for unknown
         * @return this builder
         * @throws IllegalArgumentException when {@code cpuNanos} is below -1
         */
        public Builder cpuNanos(long cpuNanos) {
            if (cpuNanos < -1) {
                throw new IllegalArgumentException("ComputeReport: CPU time must be at least 0 ns (or -1 for "
                        + "unknown), got " + cpuNanos);
            }
            this.cpuNanos = cpuNanos;
            return this;
        }

        /**
         * Sets the process CPU time in seconds, rounded to the nearest nanosecond.
         *
         * @param seconds process CPU time in seconds (core-seconds), at least 0
         * @return this builder
         * @throws IllegalArgumentException when {@code seconds} is negative, infinite or NaN
         */
        public Builder cpuSeconds(double seconds) {
            return cpuNanos(Math.round(checkNonNegative("CPU time", seconds) * 1e9));
        }

        /**
         * Sets the floating-point operation count (0 by default).
         *
         * @param flops floating-point operations, at least 0
         * @return this builder
         * @throws IllegalArgumentException when {@code flops} is negative
         */
        public Builder flops(long flops) {
            if (flops < 0) {
                throw new IllegalArgumentException("ComputeReport: FLOPs must be at least 0, got " + flops);
            }
            this.flops = flops;
            return this;
        }

        /**
         * Overrides the power assumption for this report instead of {@link #defaultWattsPerCore()}.
         *
         * @param watts the assumed power per busy core in watts, non-negative
         * @return this builder
         * @throws IllegalArgumentException when {@code watts} is negative, infinite or NaN
         */
        public Builder wattsPerCore(double watts) {
            this.wattsPerCore = checkNonNegative("watts per core", watts);
            return this;
        }

        /**
         * Overrides the carbon-intensity assumption for this report instead of {@link #defaultGridIntensity()}.
         *
         * @param gramsPerKwh the assumed grid carbon intensity in gCO2e per kWh, non-negative
         * @return this builder
         * @throws IllegalArgumentException when {@code gramsPerKwh} is negative, infinite or NaN
         */
        public Builder gridIntensity(double gramsPerKwh) {
            this.gridIntensity = checkNonNegative("grid intensity (gCO2e/kWh)", gramsPerKwh);
            return this;
        }

        /**
         * Builds the report. Assumptions not set here are read now from the system properties, or take the
         * documented defaults.
         *
         * @return the report
         */
        public ComputeReport build() {
            return new ComputeReport(this);
        }
    }
}
