package dev.frelon.benchmarks;

import dev.frelon.core.kernel.Kernels;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Where a benchmark ran: the processor model, the kernel path and instruction set in use, the JDK. */
public final class Machine {

    private Machine() {
    }

    /** @return the processor's model name from {@code /proc/cpuinfo}, or {@code os.arch} where there is none */
    public static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name") && line.indexOf(':') > 0) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch", "unknown processor");
    }

    /**
     * @return the JVM flags that make the JIT compile for another instruction set than this processor's
     *         ({@code -XX:UseAVX=...}, {@code -XX:MaxVectorSize=...}), space-separated; empty when native
     */
    public static String emulationFlags() {
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        return args.stream().filter(a -> a.startsWith("-XX:UseAVX=") || a.startsWith("-XX:MaxVectorSize="))
                .collect(Collectors.joining(" "));
    }

    /** @return one line for a report's head: processor, processors, kernel path and ISA, emulation, JDK */
    public static String describe() {
        String emulated = emulationFlags();
        return cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " processors; kernels "
                + Kernels.description()
                + (emulated.isEmpty() ? "" : "; EMULATED with " + emulated + " (timings indicative only)")
                + "; JDK " + Runtime.version();
    }
}
