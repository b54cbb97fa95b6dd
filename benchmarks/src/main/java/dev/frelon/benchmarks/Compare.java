package dev.frelon.benchmarks;

import dev.frelon.core.kernel.Calibration;
import dev.frelon.core.kernel.Kernels;
import dev.frelon.core.kernel.Parallel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Java side of {@code benchmarks/compare}: times every {@link Workloads workload} at each thread count,
 * calibrates the machine's FMA peak and streaming bandwidth in the same run, reads PyTorch's figures (if
 * any) from a file written by {@code torch_bench.py}, and prints one {@code RESULT} line per workload and
 * thread count, then a table.
 *
 * <pre>
 *   Compare [--quick] [--threads 1,2] [--filter REGEX] [--torch FILE] [--json FILE]
 * </pre>
 * A value is the median over several repetitions, each timing as many calls as fit in its time slice.
 */
public final class Compare {

    private Compare() {
    }

    /** One measured row. */
    record Row(String name, int threads, String unit, double frelon, Double torch, boolean higherIsBetter) {
        double ratio() {
            if (torch == null) {
                return Double.NaN;
            }
            return higherIsBetter ? frelon / torch : torch / frelon;
        }
    }

    /**
     * @param args see the class comment
     * @throws IOException when the PyTorch file cannot be read or the JSON file written
     */
    public static void main(String[] args) throws IOException {
        boolean quick = false;
        int[] threads = {1, 2};
        Pattern filter = null;
        Path torchFile = null, json = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--threads" -> threads = parseThreads(args[++i]);
                case "--filter" -> filter = Pattern.compile(args[++i]);
                case "--torch" -> torchFile = Path.of(args[++i]);
                case "--json" -> json = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("compare: unknown option " + args[i]
                        + " (expected --quick, --threads 1,2, --filter REGEX, --torch FILE, --json FILE)");
            }
        }
        Map<String, Double> torch = new HashMap<>();
        List<String> torchInfo = new ArrayList<>();
        if (torchFile != null && Files.exists(torchFile)) {
            for (String line : Files.readAllLines(torchFile)) {
                String[] f = line.trim().split("\\s+");
                if (line.startsWith("#")) {
                    torchInfo.add(line.substring(1).trim());
                } else if (f.length == 3) {
                    torch.put(f[0] + "@" + f[1], Double.parseDouble(f[2]));
                }
            }
        }
        Timer timer = quick ? new Timer(500, 5, 80) : new Timer(1000, 7, 120);
        System.out.println("frelon: " + Machine.describe());
        List<Row> rows = new ArrayList<>();
        Map<Integer, double[]> calib = new HashMap<>();
        for (int t : threads) {
            Parallel.setThreads(t);
            double peak = Peak.fmaGflops(Calibration.chosen(), timer);
            double bw = Peak.triadGBs(Calibration.chosen(), timer);
            calib.put(t, new double[] {peak, bw});
            System.out.printf(Locale.ROOT, "CALIB threads=%d fma_peak_gflops=%.1f stream_triad_gbs=%.1f%n", t, peak, bw);
            for (Workloads.Workload w : Workloads.all()) {
                if ((filter != null && !filter.matcher(w.name()).find()) || (quick && !w.quick())) {
                    continue;
                }
                Workloads.Op op = w.setup().get();
                // A training step runs dozens of kernels, on the pool's workers too: C2 needs longer to settle.
                Timer t0 = w.name().startsWith("train_") ? new Timer(4 * timer.warmupMillis(), timer.reps(), 2 * timer.sliceMillis()) : timer;
                double ns = t0.nanosPerCall(op);
                double v = w.value(ns);
                Row r = new Row(w.name(), t, w.unit(), v, torch.get(w.name() + "@" + t), w.higherIsBetter());
                rows.add(r);
                System.out.printf(Locale.ROOT, "RESULT workload=%s threads=%d frelon=%s torch=%s unit=%s ratio=%s%n",
                        r.name, t, fmt(v), r.torch == null ? "NA" : fmt(r.torch), r.unit,
                        r.torch == null ? "NA" : String.format(Locale.ROOT, "%.2f", r.ratio()));
            }
        }
        printTable(rows, calib, torchInfo);
        if (json != null) {
            writeJson(json, rows, calib);
        }
    }

    static int[] parseThreads(String s) {
        String[] parts = s.split(",");
        int[] t = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            t[i] = Integer.parseInt(parts[i].trim());
            if (t[i] < 1) {
                throw new IllegalArgumentException("compare: thread counts must be >= 1, got " + s);
            }
        }
        return t;
    }

    static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    private static void printTable(List<Row> rows, Map<Integer, double[]> calib, List<String> torchInfo) {
        System.out.println();
        for (String s : torchInfo) {
            System.out.println("torch: " + s);
        }
        System.out.printf(Locale.ROOT, "%-36s %3s %12s %12s %-9s %7s %8s%n", "workload", "thr", "frelon", "torch", "unit",
                "ratio", "%peak");
        for (Row r : rows) {
            String pct = r.unit.equals("GFLOPS")
                    ? String.format(Locale.ROOT, "%.0f%%", 100 * r.frelon / calib.get(r.threads)[0]) : "";
            System.out.printf(Locale.ROOT, "%-36s %3d %12s %12s %-9s %7s %8s%n", r.name, r.threads, fmt(r.frelon),
                    r.torch == null ? "NA" : fmt(r.torch), r.unit,
                    r.torch == null ? "NA" : String.format(Locale.ROOT, "%.2f", r.ratio()), pct);
        }
        System.out.println("ratio > 1: Frelon is better (time: torch/frelon; throughput: frelon/torch). Values are medians.");
    }

    private static void writeJson(Path file, List<Row> rows, Map<Integer, double[]> calib) throws IOException {
        StringBuilder sb = new StringBuilder("{\n  \"machine\": \"" + Machine.describe() + "\",\n  \"kernels\": \""
                + Kernels.description() + "\",\n  \"calibration\": [");
        boolean first = true;
        for (var e : calib.entrySet()) {
            sb.append(first ? "\n" : ",\n").append(String.format(Locale.ROOT,
                    "    {\"threads\": %d, \"fma_peak_gflops\": %.2f, \"stream_triad_gbs\": %.2f}", e.getKey(),
                    e.getValue()[0], e.getValue()[1]));
            first = false;
        }
        sb.append("\n  ],\n  \"results\": [");
        first = true;
        for (Row r : rows) {
            sb.append(first ? "\n" : ",\n").append(String.format(Locale.ROOT,
                    "    {\"workload\": \"%s\", \"threads\": %d, \"frelon\": %.4f, \"torch\": %s, \"unit\": \"%s\", \"ratio\": %s}",
                    r.name, r.threads, r.frelon, r.torch == null ? "null" : String.format(Locale.ROOT, "%.4f", r.torch),
                    r.unit, r.torch == null ? "null" : String.format(Locale.ROOT, "%.4f", r.ratio())));
            first = false;
        }
        sb.append("\n  ]\n}\n");
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, sb);
    }
}
