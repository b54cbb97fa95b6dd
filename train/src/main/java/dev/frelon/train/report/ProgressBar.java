package dev.frelon.train.report;

import java.io.Console;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Shows the progress of a loop of steps (for example the batches of an epoch): steps done, throughput and the
 * estimated time left.
 *
 * <p>On a terminal it redraws a single line with {@code '\r'}, at most every {@link #REDRAW_NANOS} ns:
 * <pre>
 * epoch 3 [=============&gt;                ] 450/1000  45%  2,345.6 samples/s  ETA 0:12  loss 0.231
 * </pre>
 * Elsewhere (output redirected to a file, CI logs) it prints plain lines instead, one each time another tenth
 * of the total is done (configurable) or when a configurable interval has passed since the last line, and a
 * final line on {@link #close()}:
 * <pre>
 * epoch 3: 450/1000 (45%) | 2345.6 samples/s | elapsed 0:09 | ETA 0:12 | loss 0.231
 * </pre>
 * Throughput is the average since the bar was created; the ETA assumes it stays the same. When the total is
 * unknown (0), percentages, the bar and the ETA are left out. Use from one thread.
 */
public final class ProgressBar implements AutoCloseable {
    /** Minimum time between two redraws on a terminal, in nanoseconds (0.1 s). */
    public static final long REDRAW_NANOS = 100_000_000L;

    private final long total;
    private final String label;
    private final PrintStream out;
    private final boolean terminal;
    private final double logFraction;
    private final long logIntervalNanos;
    private final LongSupplier clock;
    private final int barWidth;
    private final long startNanos;

    private long steps;
    private long samples;
    private String status;
    private long lastDrawNanos;
    private long lastLogNanos;
    private long nextLogStep;
    private long lastLoggedSteps = -1;
    private int lastLineLength;
    private boolean drawn;
    private boolean closed;

    private ProgressBar(Builder b) {
        this.total = b.total;
        this.label = b.label;
        this.out = b.out;
        this.terminal = b.terminal != null ? b.terminal : isTerminal();
        this.logFraction = b.logFraction;
        this.logIntervalNanos = b.logIntervalNanos;
        this.clock = b.clock;
        this.barWidth = b.barWidth;
        this.startNanos = clock.getAsLong();
        this.lastLogNanos = startNanos;
        this.nextLogStep = nextBoundary(0);
    }

    /**
     * Starts configuring a bar; the clock starts when {@link Builder#build()} is called.
     *
     * @param totalSteps the number of steps expected, or 0 when unknown
     * @return a builder writing to {@link System#out}, detecting a terminal, logging every 10% or 30 s
     * @throws IllegalArgumentException when {@code totalSteps} is negative
     */
    public static Builder builder(long totalSteps) {
        return new Builder(totalSteps);
    }

    /**
     * Whether standard output is an interactive terminal: {@link System#console()} is not null and (as
     * {@code System.console()} may be non-null for redirected output since JDK 22)
     * {@link Console#isTerminal()} is true.
     *
     * @return true on a terminal
     */
    public static boolean isTerminal() {
        Console c = System.console();
        return c != null && c.isTerminal();
    }

    /**
     * Tells which output mode this bar uses, as detected by {@link #isTerminal()} or set by
     * {@link Builder#terminal(boolean)}.
     *
     * @return true when this bar redraws one line, false when it prints log lines
     */
    public boolean terminal() {
        return terminal;
    }

    /**
     * The sum of the step counts recorded by {@link #step} and {@link #advance}.
     *
     * @return the steps done so far
     */
    public long steps() {
        return steps;
    }

    /**
     * The sum of the sample counts recorded by {@link #step} and {@link #advance}; when it is still 0, the
     * throughput is shown in steps per second instead of samples per second.
     *
     * @return the samples processed so far
     */
    public long samples() {
        return samples;
    }

    /**
     * Records one step.
     *
     * @param samplesInStep the samples processed by the step (for example the batch size), at least 0
     */
    public void step(long samplesInStep) {
        advance(1, samplesInStep);
    }

    /**
     * Records some steps.
     *
     * @param stepCount the steps done, at least 0
     * @param sampleCount the samples they processed, at least 0
     */
    public void advance(long stepCount, long sampleCount) {
        if (closed) {
            throw new IllegalStateException("ProgressBar" + (label == null ? "" : " '" + label + "'")
                    + ": advance after close");
        }
        if (stepCount < 0 || sampleCount < 0) {
            throw new IllegalArgumentException("ProgressBar.advance: steps and samples must be at least 0, got "
                    + stepCount + " steps and " + sampleCount + " samples");
        }
        steps += stepCount;
        samples += sampleCount;
        long now = clock.getAsLong();
        if (terminal) {
            if (!drawn || now - lastDrawNanos >= REDRAW_NANOS || (total > 0 && steps >= total)) {
                draw(now);
            }
        } else {
            boolean boundary = total > 0 && steps >= nextLogStep;
            boolean interval = logIntervalNanos > 0 && now - lastLogNanos >= logIntervalNanos;
            if (boundary || interval) {
                log(now);
                nextLogStep = nextBoundary(steps);
            }
        }
    }

    /**
     * Sets a short text shown after the numbers, for example {@code "loss 0.231"}; it appears with the next
     * redraw or log line.
     *
     * @param status the text, or null for none
     */
    public void status(String status) {
        this.status = status;
    }

    /** Draws the final state (a terminal line is ended with a newline); further steps are refused. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        long now = clock.getAsLong();
        if (terminal) {
            draw(now);
            out.println();
        } else if (lastLoggedSteps != steps) {
            log(now);
        }
        out.flush();
        closed = true;
    }

    /** The first step count past {@code s} at which a new fraction of the total is reached. */
    private long nextBoundary(long s) {
        if (total <= 0 || logFraction <= 0) {
            return Long.MAX_VALUE;
        }
        double f = (double) s / total;
        long k = (long) Math.floor(f / logFraction + 1e-9) + 1;
        return (long) Math.ceil(k * logFraction * total - 1e-9);
    }

    private void draw(long now) {
        StringBuilder sb = new StringBuilder(120);
        if (label != null) {
            sb.append(label).append(' ');
        }
        if (total > 0) {
            int filled = (int) Math.min(barWidth, barWidth * steps / total);
            sb.append('[');
            for (int i = 0; i < barWidth; i++) {
                sb.append(i < filled ? '=' : i == filled ? '>' : ' ');
            }
            sb.append("] ").append(steps).append('/').append(total).append(' ')
                    .append(String.format(Locale.ROOT, "%3d%%", percent()));
        } else {
            sb.append(steps).append(" steps");
        }
        double elapsed = (now - startNanos) / 1e9;
        sb.append("  ").append(rate(elapsed, true));
        String eta = eta(elapsed);
        sb.append("  ").append(eta == null ? "elapsed " + clockTime(elapsed) : "ETA " + eta);
        if (status != null) {
            sb.append("  ").append(status);
        }
        int len = sb.length();
        for (int i = len; i < lastLineLength; i++) {
            sb.append(' ');
        }
        lastLineLength = len;
        out.print('\r');
        out.print(sb);
        out.flush();
        drawn = true;
        lastDrawNanos = now;
    }

    private void log(long now) {
        out.println(line(now));
        lastLogNanos = now;
        lastLoggedSteps = steps;
    }

    /**
     * The plain log line for the current state.
     *
     * @param now the clock reading to use
     * @return the line, without a line break
     */
    String line(long now) {
        StringBuilder sb = new StringBuilder(100);
        if (label != null) {
            sb.append(label).append(": ");
        }
        if (total > 0) {
            sb.append(steps).append('/').append(total).append(" (").append(percent()).append("%)");
        } else {
            sb.append(steps).append(" steps");
        }
        double elapsed = (now - startNanos) / 1e9;
        sb.append(" | ").append(rate(elapsed, false));
        sb.append(" | elapsed ").append(clockTime(elapsed));
        String eta = eta(elapsed);
        if (eta != null) {
            sb.append(" | ETA ").append(eta);
        }
        if (status != null) {
            sb.append(" | ").append(status);
        }
        return sb.toString();
    }

    private int percent() {
        return (int) (100 * steps / total);
    }

    private String rate(double elapsed, boolean grouping) {
        boolean bySample = samples > 0;
        if (elapsed <= 0) {
            return "- " + (bySample ? "samples/s" : "steps/s");
        }
        double r = (bySample ? samples : steps) / elapsed;
        return String.format(Locale.ROOT, grouping ? "%,.1f %s" : "%.1f %s", r, bySample ? "samples/s" : "steps/s");
    }

    private String eta(double elapsed) {
        if (total <= 0 || steps <= 0 || elapsed <= 0) {
            return null;
        }
        double left = Math.max(0, elapsed * (total - steps) / steps);
        return clockTime(left);
    }

    /** Formats seconds as m:ss, or h:mm:ss from an hour on. */
    static String clockTime(double seconds) {
        long s = Math.round(seconds);
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec)
                : String.format(Locale.ROOT, "%d:%02d", m, sec);
    }

    /** Configures a {@link ProgressBar}. */
    public static final class Builder {
        private final long total;
        private String label;
        private PrintStream out = System.out;
        private Boolean terminal;
        private double logFraction = 0.1;
        private long logIntervalNanos = 30_000_000_000L;
        private LongSupplier clock = System::nanoTime;
        private int barWidth = 30;

        private Builder(long total) {
            if (total < 0) {
                throw new IllegalArgumentException("ProgressBar: total steps must be at least 0 (0: unknown), got "
                        + total);
            }
            this.total = total;
        }

        /**
         * Sets the text shown at the start of each line, followed by a space on a terminal and by a colon in
         * log lines.
         *
         * @param label a prefix such as {@code "epoch 3"}, or null for none
         * @return this builder
         */
        public Builder label(String label) {
            this.label = label;
            return this;
        }

        /**
         * Sets the stream the bar writes to instead of {@link System#out}. Terminal detection still looks at
         * standard output; use {@link #terminal(boolean)} to choose the mode for another stream.
         *
         * @param out where to write (for example a stream into a buffer, for tests)
         * @return this builder
         * @throws NullPointerException when {@code out} is null
         */
        public Builder out(PrintStream out) {
            this.out = Objects.requireNonNull(out, "ProgressBar: output stream is null");
            return this;
        }

        /**
         * Overrides terminal detection.
         *
         * @param terminal true for a redrawn bar, false for log lines
         * @return this builder
         */
        public Builder terminal(boolean terminal) {
            this.terminal = terminal;
            return this;
        }

        /**
         * Sets how often, as a fraction of the total, a log line is printed; ignored on a terminal and when the
         * total is unknown.
         *
         * @param fraction in log mode, print a line each time this fraction of the total is done (0 to 1;
         *     0 turns it off); the default is 0.1
         * @return this builder
         * @throws IllegalArgumentException when {@code fraction} is outside [0, 1] or NaN
         */
        public Builder logEvery(double fraction) {
            if (!(fraction >= 0 && fraction <= 1)) {
                throw new IllegalArgumentException("ProgressBar.logEvery: fraction must be in [0, 1], got "
                        + fraction);
            }
            this.logFraction = fraction;
            return this;
        }

        /**
         * Sets the longest time between two log lines, so that slow loops still report; ignored on a terminal.
         *
         * @param seconds in log mode, also print a line when this many seconds have passed since the last one
         *     (0 turns it off); the default is 30
         * @return this builder
         * @throws IllegalArgumentException when {@code seconds} is negative, infinite or NaN
         */
        public Builder logInterval(double seconds) {
            if (!(seconds >= 0) || Double.isInfinite(seconds)) {
                throw new IllegalArgumentException("ProgressBar.logInterval: seconds must be finite and at least 0, "
                        + "got " + seconds);
            }
            this.logIntervalNanos = Math.round(seconds * 1e9);
            return this;
        }

        /**
         * Sets the clock that throughput, ETA and the redraw and log intervals are measured with.
         *
         * @param nanoClock a source of nanosecond times such as {@link System#nanoTime()} (injectable for
         *     tests)
         * @return this builder
         * @throws NullPointerException when {@code nanoClock} is null
         */
        public Builder clock(LongSupplier nanoClock) {
            this.clock = Objects.requireNonNull(nanoClock, "ProgressBar: clock is null");
            return this;
        }

        /**
         * Sets the number of characters between the brackets of the terminal bar; the default is 30.
         *
         * @param width the bar width in characters on a terminal, 5 to 200
         * @return this builder
         * @throws IllegalArgumentException when {@code width} is outside [5, 200]
         */
        public Builder barWidth(int width) {
            if (width < 5 || width > 200) {
                throw new IllegalArgumentException("ProgressBar.barWidth: width must be in [5, 200], got " + width);
            }
            this.barWidth = width;
            return this;
        }

        /**
         * Creates the bar with these settings and starts its clock; nothing is printed until the first step.
         *
         * @return the progress bar, started now
         */
        public ProgressBar build() {
            return new ProgressBar(this);
        }
    }
}
