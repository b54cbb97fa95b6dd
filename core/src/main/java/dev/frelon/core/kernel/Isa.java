package dev.frelon.core.kernel;

import java.util.Locale;

/**
 * What the JIT compiles vector code for on this JVM: the architecture, the x86 AVX level, whether there is a
 * hardware fused multiply-add, and how many vector registers there are. Kernels choose their register tiles and
 * code paths from it at start-up; benchmark reports print it.
 *
 * <p>It reads HotSpot's own flags ({@code UseAVX}, {@code UseFMA}), so that a run with {@code -XX:UseAVX=2} on an
 * AVX-512 machine is described, and tuned, as an AVX2 machine would be. Where the flags cannot be read (another
 * JVM, or no {@code jdk.management} module) it assumes FMA is present and reports the AVX level as unknown (-1),
 * with 16 registers.
 *
 * @param arch {@code os.arch}, e.g. {@code amd64} or {@code aarch64}
 * @param avx the x86 {@code UseAVX} level (0 = SSE only, 2 = AVX2, 3 = AVX-512), or -1 elsewhere or when unknown
 * @param fma whether vector code may use a hardware fused multiply-add; without it, {@code FloatVector.fma} falls
 *            back to {@code Math.fma} through {@code BigDecimal}, thousands of times slower
 * @param registers vector registers the JIT can allocate: 32 with AVX-512 (EVEX encoding, any vector width) and on
 *                  AArch64 (NEON and SVE), 16 with AVX2, AVX and SSE
 */
public record Isa(String arch, int avx, boolean fma, int registers) {

    private static final Isa CURRENT = detect();

    /**
     * The instruction set of this JVM, detected once when the class is initialised.
     *
     * @return the instruction set the JIT targets in this JVM
     */
    public static Isa current() {
        return CURRENT;
    }

    /**
     * Whether this is x86 with SSE only, where the JIT compiles no float compare, min/max or transcendental to
     * vector instructions.
     *
     * @return true on x86 without AVX ({@code -XX:UseAVX=0} or an SSE-only processor)
     */
    public boolean sseOnly() {
        return avx == 0;
    }

    /**
     * Describes the instruction set in one line: the x86 AVX level (or the architecture name elsewhere or when
     * unknown), FMA or not, and the register count.
     *
     * @return a short name for reports, e.g. {@code "x86 AVX-512, FMA, 32 vector registers"}
     */
    public String describe() {
        String level = switch (avx) {
            case 0 -> "x86 SSE";
            case 1 -> "x86 AVX";
            case 2 -> "x86 AVX2";
            case 3 -> "x86 AVX-512";
            default -> arch;
        };
        return String.format(Locale.ROOT, "%s, %s, %d vector registers", level, fma ? "FMA" : "no FMA", registers);
    }

    private static Isa detect() {
        String arch = System.getProperty("os.arch", "unknown").toLowerCase(Locale.ROOT);
        boolean x86 = arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x86");
        boolean arm = arch.equals("aarch64") || arch.equals("arm64");
        int avx = x86 ? flagInt("UseAVX", -1) : -1;
        boolean fma = flagBoolean("UseFMA", true);
        int registers = arm || avx >= 3 ? 32 : 16;
        return new Isa(arch, avx, fma, registers);
    }

    private static int flagInt(String name, int fallback) {
        String v = flag(name);
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static boolean flagBoolean(String name, boolean fallback) {
        String v = flag(name);
        return v == null ? fallback : Boolean.parseBoolean(v);
    }

    /** A HotSpot flag's value, or null where it cannot be read. */
    private static String flag(String name) {
        try {
            var bean = java.lang.management.ManagementFactory.getPlatformMXBean(
                    com.sun.management.HotSpotDiagnosticMXBean.class);
            return bean == null ? null : bean.getVMOption(name).getValue();
        } catch (RuntimeException | LinkageError e) {
            return null; // not HotSpot, no such flag on this architecture, or jdk.management absent
        }
    }
}
