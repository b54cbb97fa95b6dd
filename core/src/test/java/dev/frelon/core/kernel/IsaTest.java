package dev.frelon.core.kernel;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Isa} describes what the JIT compiles for. The core build runs this class natively and again under
 * {@code -XX:UseAVX=2}, {@code -XX:MaxVectorSize=16} and {@code -XX:UseAVX=0}: on x86 each run must see the level its
 * flags ask for, and the register count and FMA that go with it.
 */
class IsaTest {

    private static boolean x86() {
        String arch = System.getProperty("os.arch");
        return arch.equals("amd64") || arch.equals("x86_64");
    }

    /** The {@code -XX:UseAVX=} value this JVM was started with, or -1. */
    private static int requestedAvx() {
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        int level = -1;
        for (String a : args) {
            if (a.startsWith("-XX:UseAVX=")) {
                level = Integer.parseInt(a.substring("-XX:UseAVX=".length()));
            }
        }
        return level;
    }

    @Test
    void seesTheLevelTheJvmCompilesFor() {
        Isa isa = Isa.current();
        if (x86()) {
            assertTrue(isa.avx() >= 0 && isa.avx() <= 3, isa.describe());
            int asked = requestedAvx();
            if (asked >= 0) {
                // The JVM lowers a level the processor lacks, never raises it.
                assertTrue(isa.avx() <= asked, isa.describe() + " under -XX:UseAVX=" + asked);
            }
            if (asked == 0) {
                assertEquals(0, isa.avx());
                assertTrue(isa.sseOnly());
                assertFalse(isa.fma(), "no FMA without AVX: " + isa.describe());
            }
            assertEquals(isa.avx() >= 3 ? 32 : 16, isa.registers(), isa.describe());
        } else if (System.getProperty("os.arch").equals("aarch64")) {
            assertEquals(32, isa.registers(), isa.describe());
            assertEquals(-1, isa.avx());
            assertFalse(isa.sseOnly());
        }
        assertTrue(isa.describe().contains(isa.fma() ? "FMA" : "no FMA"), isa.describe());
        assertTrue(isa.describe().contains(isa.registers() + " vector registers"), isa.describe());
    }

    @Test
    void describesEachLevelByName() {
        assertEquals("x86 AVX2, FMA, 16 vector registers", new Isa("amd64", 2, true, 16).describe());
        assertEquals("x86 SSE, no FMA, 16 vector registers", new Isa("amd64", 0, false, 16).describe());
        assertEquals("x86 AVX-512, FMA, 32 vector registers", new Isa("amd64", 3, true, 32).describe());
        assertEquals("aarch64, FMA, 32 vector registers", new Isa("aarch64", -1, true, 32).describe());
        assertTrue(new Isa("amd64", 0, false, 16).sseOnly());
        assertFalse(new Isa("aarch64", -1, true, 32).sseOnly());
    }
}
