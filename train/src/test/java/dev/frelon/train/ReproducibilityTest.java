package dev.frelon.train;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same seed gives the same bits: {@link ReproducibleRun} in fresh JVMs, compiled by C2 as usual, run only by
 * the interpreter, compiled by C1 only, and with the worker pool held by another thread, prints one digest.
 */
class ReproducibilityTest {

    private static String digest(String... options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "-Dfrelon.quiet=true"));
        List<String> args = new ArrayList<>();
        for (String o : options) {
            (o.startsWith("-") ? cmd : args).add(o);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ReproducibleRun.class.getName()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the run finished");
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().filter(l -> l.matches("[0-9a-f]{64}")).toList();
        assertEquals(1, lines.size(), out);
        return lines.get(0);
    }

    @Test
    void aSeededRunGivesTheSameBitsInEveryJitStateAndWithABusyPool() throws Exception {
        String c2 = digest();
        assertEquals(c2, digest(), "a second fresh JVM");
        assertEquals(c2, digest("-Xint"), "the interpreter alone");
        assertEquals(c2, digest("-XX:TieredStopAtLevel=1"), "C1 alone");
        assertEquals(c2, digest("busy"), "another thread holding the worker pool");
    }
}
